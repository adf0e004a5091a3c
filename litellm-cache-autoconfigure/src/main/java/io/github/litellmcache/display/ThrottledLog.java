package io.github.litellmcache.display;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;

/**
 * Warns at most once per interval, saying how many warnings were left out since the last one, so that
 * a failure repeated on every call (an outage, a broken callback) does not flood the log.
 */
public final class ThrottledLog {

    private final Log logger;

    private final long intervalNanos;

    private final AtomicLong nextLogAt = new AtomicLong(System.nanoTime());

    private final AtomicLong suppressed = new AtomicLong();

    /** Warns to {@code logger} at most once per {@code interval}. */
    public ThrottledLog(Log logger, Duration interval) {
        this.logger = logger;
        this.intervalNanos = interval.toNanos();
    }

    /** Warns with {@code message}, built only when it is logged, unless a warning was logged less than the interval ago. */
    public void warn(Supplier<String> message) {
        long now = System.nanoTime();
        long next = this.nextLogAt.get();
        if (now - next >= 0 && this.nextLogAt.compareAndSet(next, now + this.intervalNanos)) {
            long skipped = this.suppressed.getAndSet(0);
            this.logger.warn(
                    message.get() + ((skipped > 0) ? "; " + skipped + " similar warnings were not logged" : ""));
        } else {
            this.suppressed.incrementAndGet();
        }
    }
}
