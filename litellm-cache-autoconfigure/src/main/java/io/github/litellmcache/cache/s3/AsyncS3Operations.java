package io.github.litellmcache.cache.s3;

import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The requests on the application's {@link S3AsyncClient}: no thread waits for S3, and a cancelled request is aborted.
 * The client is the application's and stays open.
 */
final class AsyncS3Operations implements S3Operations {

    private final S3AsyncClient client;

    AsyncS3Operations(S3AsyncClient client) {
        this.client = client;
    }

    @Override
    public Mono<ResponseBytes<GetObjectResponse>> getObject(GetObjectRequest request) {
        return Mono.fromFuture(() -> this.client.getObject(request, AsyncResponseTransformer.toBytes()));
    }

    @Override
    public Mono<Void> putObject(PutObjectRequest request, byte[] body) {
        return Mono.fromFuture(() -> this.client.putObject(request, AsyncRequestBody.fromBytes(body)))
                .then();
    }

    @Override
    public Mono<Void> deleteObject(DeleteObjectRequest request) {
        return Mono.fromFuture(() -> this.client.deleteObject(request)).then();
    }

    @Override
    public Mono<ListObjectsV2Response> listObjectsV2(ListObjectsV2Request request) {
        return Mono.fromFuture(() -> this.client.listObjectsV2(request));
    }

    @Override
    public Mono<DeleteObjectsResponse> deleteObjects(DeleteObjectsRequest request) {
        return Mono.fromFuture(() -> this.client.deleteObjects(request));
    }

    @Override
    public void close() {}
}
