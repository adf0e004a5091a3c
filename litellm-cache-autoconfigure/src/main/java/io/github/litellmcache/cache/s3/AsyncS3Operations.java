package io.github.litellmcache.cache.s3;

import java.io.ByteArrayOutputStream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.ResponsePublisher;
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
    public Mono<ResponseBytes<GetObjectResponse>> getObject(GetObjectRequest request, long maxBytes) {
        return Mono.fromFuture(() -> this.client.getObject(request, AsyncResponseTransformer.toPublisher()))
                .flatMap(object -> bounded(object, maxBytes));
    }

    /** The body gathered if it holds at most {@code maxBytes}; otherwise its subscription is cancelled. */
    private static Mono<ResponseBytes<GetObjectResponse>> bounded(
            ResponsePublisher<GetObjectResponse> object, long maxBytes) {
        GetObjectResponse response = object.response();
        Long length = response.contentLength();
        if (length != null && length > maxBytes) {
            return Flux.from(object).take(0).then(Mono.error(new S3ObjectTooLargeException(maxBytes)));
        }
        int expected = (length != null) ? length.intValue() : 8_192;
        return Flux.from(object)
                .reduceWith(() -> new ByteArrayOutputStream(expected), (gathered, buffer) -> {
                    if (gathered.size() + (long) buffer.remaining() > maxBytes) {
                        throw new S3ObjectTooLargeException(maxBytes);
                    }
                    byte[] bytes = new byte[buffer.remaining()];
                    buffer.get(bytes);
                    gathered.writeBytes(bytes);
                    return gathered;
                })
                .map(gathered -> ResponseBytes.fromByteArrayUnsafe(response, gathered.toByteArray()));
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
