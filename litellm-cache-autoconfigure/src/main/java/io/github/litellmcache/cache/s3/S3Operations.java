package io.github.litellmcache.cache.s3;

import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The S3 requests of {@link S3CacheBackend}, on an asynchronous or a blocking client. Each is lazy, runs on
 * subscription, never blocks the subscriber's thread, and is abandoned when the subscriber cancels.
 */
interface S3Operations {

    /**
     * The object whole, or an {@link S3ObjectTooLargeException} as soon as it is known to hold more than
     * {@code maxBytes} (from its {@code Content-Length}, or from what has arrived), its body then abandoned unread.
     */
    Mono<ResponseBytes<GetObjectResponse>> getObject(GetObjectRequest request, long maxBytes);

    Mono<Void> putObject(PutObjectRequest request, byte[] body);

    Mono<Void> deleteObject(DeleteObjectRequest request);

    Mono<ListObjectsV2Response> listObjectsV2(ListObjectsV2Request request);

    Mono<DeleteObjectsResponse> deleteObjects(DeleteObjectsRequest request);

    /** Releases what these operations own; an application's client stays open. */
    void close();
}
