package io.github.litellmcache.cache.s3;

import io.github.litellmcache.cache.CacheBackendClosedException;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The requests on a blocking {@link S3Client}, the application's or the cache's dedicated one, each run on a bounded
 * pool of worker threads: when all are busy and the queue is full, a request fails at once (a miss) instead of piling
 * up, and a request still queued when its caller gives up is dropped. A request still queued when the operations close
 * fails with the closing, as the threads that would have taken it are gone.
 */
final class BlockingS3Operations implements S3Operations {

    /** Requests in flight at most; more wait in the queue. */
    private static final int THREADS = 32;

    /** Requests waiting at most for each thread. */
    private static final int QUEUE = 1_000;

    /** Seconds an idle thread is kept. */
    private static final int IDLE_SECONDS = 60;

    private final S3Client client;

    private final Runnable closer;

    private final Scheduler workers =
            Schedulers.newBoundedElastic(THREADS, QUEUE, "litellm-s3-cache", IDLE_SECONDS, true);

    /** Fails, with the closing, every request not yet answered when the operations close. */
    private final Sinks.Empty<Void> closed = Sinks.empty();

    /**
     * @param client the client
     * @param closer what {@link #close()} releases besides the threads: nothing for the application's client
     */
    BlockingS3Operations(S3Client client, Runnable closer) {
        this.client = client;
        this.closer = closer;
    }

    @Override
    public Mono<ResponseBytes<GetObjectResponse>> getObject(GetObjectRequest request, long maxBytes) {
        return call(() -> this.client.getObject(request, (response, body) -> bounded(response, body, maxBytes)));
    }

    /**
     * The body read whole if it holds at most {@code maxBytes}; otherwise aborted, so that the HTTP client closes the
     * connection rather than reading the rest of the body to reuse it.
     */
    private static ResponseBytes<GetObjectResponse> bounded(
            GetObjectResponse response, AbortableInputStream body, long maxBytes) throws IOException {
        Long length = response.contentLength();
        if (length == null || length <= maxBytes) {
            byte[] bytes = body.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
            if (bytes.length <= maxBytes) {
                return ResponseBytes.fromByteArrayUnsafe(response, bytes);
            }
        }
        body.abort();
        throw new S3ObjectTooLargeException(maxBytes);
    }

    @Override
    public Mono<Void> putObject(PutObjectRequest request, byte[] body) {
        return call(() -> this.client.putObject(request, RequestBody.fromBytes(body)))
                .then();
    }

    @Override
    public Mono<Void> deleteObject(DeleteObjectRequest request) {
        return call(() -> this.client.deleteObject(request)).then();
    }

    @Override
    public Mono<ListObjectsV2Response> listObjectsV2(ListObjectsV2Request request) {
        return call(() -> this.client.listObjectsV2(request));
    }

    @Override
    public Mono<DeleteObjectsResponse> deleteObjects(DeleteObjectsRequest request) {
        return call(() -> this.client.deleteObjects(request));
    }

    @Override
    public void close() {
        this.closed.tryEmitError(new CacheBackendClosedException("S3"));
        this.workers.dispose();
        this.closer.run();
    }

    /**
     * Runs the request on a worker. A caller giving up interrupts the worker, and the SDK then fails the request: that
     * failure has nobody to go to, so it ends the request quietly instead of reaching Reactor's dropped-error log.
     */
    private <T> Mono<T> call(Callable<T> request) {
        return Mono.defer(() -> {
            AtomicBoolean abandoned = new AtomicBoolean();
            return Mono.fromCallable(() -> {
                        try {
                            return request.call();
                        } catch (Exception ex) {
                            if (abandoned.get()) {
                                return null;
                            }
                            throw ex;
                        }
                    })
                    .subscribeOn(this.workers)
                    .doOnCancel(() -> abandoned.set(true))
                    .or(this.closed.asMono().then(Mono.empty()));
        });
    }
}
