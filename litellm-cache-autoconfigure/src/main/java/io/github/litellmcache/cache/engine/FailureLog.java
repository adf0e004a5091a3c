package io.github.litellmcache.cache.engine;

import io.github.litellmcache.cache.BackendOperation;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.NestedExceptionUtils;

/**
 * Logs cache failures at most once per interval, with how many were left out, so that an outage
 * does not flood the log. Messages name the backend and the operation, never a key or a prompt.
 */
final class FailureLog {

    private static final Log logger = LogFactory.getLog(FailureLog.class);

    private static final long INTERVAL_NANOS = 10_000_000_000L;

    private final AtomicLong nextLogAt = new AtomicLong(System.nanoTime());
    private final AtomicLong suppressed = new AtomicLong();

    /** The most specific cause's type and message: drivers name the failure there, never a key or a value. */
    private static String describe(Throwable error) {
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(error);
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    void failed(String backend, BackendOperation operation, Throwable error) {
        long now = System.nanoTime();
        long next = this.nextLogAt.get();
        if (now - next >= 0 && this.nextLogAt.compareAndSet(next, now + INTERVAL_NANOS)) {
            long skipped = this.suppressed.getAndSet(0);
            logger.warn("Cache " + operation.tagValue() + " on the " + backend
                    + " backend failed, the call went on without it ("
                    + describe(error) + ")"
                    + ((skipped > 0) ? "; " + skipped + " similar failures were not logged" : ""));
        } else {
            this.suppressed.incrementAndGet();
        }
    }
}
