package io.github.litellmcache.cache.engine;

import io.github.litellmcache.cache.BackendOperation;
import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheBackendClosedException;
import io.github.litellmcache.display.ThrottledLog;
import java.time.Duration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.NestedExceptionUtils;

/**
 * Logs cache failures at most once per interval, with how many were left out, so that an outage
 * does not flood the log. Messages name the backend and the operation, never a key or a prompt.
 */
final class FailureLog {

    private static final Log logger = LogFactory.getLog(FailureLog.class);

    private final ThrottledLog log = new ThrottledLog(logger, Duration.ofSeconds(10));

    private final CacheBackend backend;

    FailureLog(CacheBackend backend) {
        this.backend = backend;
    }

    /** The most specific cause's type and message: drivers name the failure there, never a key or a value. */
    static String describe(Throwable error) {
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(error);
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /** An operation refused by a backend closed at shutdown ({@link CacheBackendClosedException}): at debug level. */
    void closed(BackendOperation operation) {
        if (logger.isDebugEnabled()) {
            logger.debug("Cache " + operation.tagValue() + " on the " + this.backend.name()
                    + " cache backend dropped, the backend is closed (the application is shutting down)");
        }
    }

    /** {@code backend} as logs name it: {@code the redis cache backend}, and where its store is when it says. */
    static String named(CacheBackend backend) {
        String location = backend.location();
        return "the " + backend.name() + " cache backend" + (location.isEmpty() ? "" : " (" + location + ")");
    }

    /** A failure, warned about with where the store is. */
    void failed(BackendOperation operation, Throwable error) {
        this.log.warn(() -> "Cache " + operation.tagValue() + " on " + named(this.backend)
                + " failed, the call went on without it (" + describe(error) + ")");
    }
}
