package io.github.litellmcache.cache.s3;

import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/** A store whose writes, once they {@linkplain #hang() hang}, wait until {@link #answer()} (or a minute has passed). */
final class WritesHang extends ForwardingBlobStore {

    private final CountDownLatch answer = new CountDownLatch(1);

    private volatile boolean hanging;

    /** Over {@code delegate}, its writes answering until they {@linkplain #hang() hang}. */
    WritesHang(BlobStore delegate) {
        super(delegate);
    }

    /** Makes the writes from now on hang. */
    void hang() {
        this.hanging = true;
    }

    /** Lets every write, hanging or to come, answer. */
    void answer() {
        this.answer.countDown();
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
        if (this.hanging) {
            try {
                this.answer.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        return super.putBlob(request, content);
    }
}
