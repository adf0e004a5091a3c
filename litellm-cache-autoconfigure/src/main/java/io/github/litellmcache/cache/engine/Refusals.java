package io.github.litellmcache.cache.engine;

import io.github.litellmcache.cache.CacheBackendClosedException;
import io.lettuce.core.RedisCommandExecutionException;
import java.util.List;
import org.springframework.util.ClassUtils;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Tells a store that refused one operation, because of what was asked, from a store that failed: Redis answering
 * with an error reply, or S3 with a client error (4xx, but for a timeout, a rate limit or refused credentials). The
 * store answered, so its circuit breaker and its health are none of the refusal's business. The store libraries are
 * optional: each is looked at only when present. A backend closed at shutdown refusing an operation is told apart
 * too ({@link #isClosed}): that is no failure of the store at all.
 */
final class Refusals {

    private static final ClassLoader LOADER = Refusals.class.getClassLoader();

    private static final boolean LETTUCE =
            ClassUtils.isPresent("io.lettuce.core.RedisCommandExecutionException", LOADER);

    private static final boolean AWS =
            ClassUtils.isPresent("software.amazon.awssdk.core.exception.SdkServiceException", LOADER);

    private Refusals() {}

    /** Whether {@code error}, or one of its causes, is the store refusing the operation while it is well. */
    static boolean isRefusal(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if ((LETTUCE && Lettuce.isErrorReply(cause)) || (AWS && Aws.isClientError(cause))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code error}, or one of its causes, is a {@link CacheBackendClosedException}: the backend, closed as the
     * application shuts down, refused the operation or failed it by closing its connection.
     */
    static boolean isClosed(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof CacheBackendClosedException) {
                return true;
            }
        }
        return false;
    }

    private static final class Lettuce {

        /** Error replies that say the server is unwell or refuses every command, not this one. */
        private static final List<String> UNWELL =
                List.of("LOADING", "BUSY", "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN", "READONLY", "NOAUTH", "WRONGPASS");

        static boolean isErrorReply(Throwable error) {
            if (!(error instanceof RedisCommandExecutionException)) {
                return false;
            }
            String reply = String.valueOf(error.getMessage());
            return UNWELL.stream().noneMatch(reply::startsWith);
        }
    }

    private static final class Aws {

        /**
         * Error codes that refuse the credentials, the signature or the clock, and so every request (credentials
         * rotated, a session token expired mid-run), not the one asked: like a wrong Redis password.
         */
        private static final List<String> UNWELL = List.of(
                "ExpiredToken",
                "InvalidAccessKeyId",
                "InvalidToken",
                "SignatureDoesNotMatch",
                "RequestTimeTooSkewed",
                "TokenRefreshRequired");

        static boolean isClientError(Throwable error) {
            if (!(error instanceof SdkServiceException service)) {
                return false;
            }
            int status = service.statusCode();
            return status >= 400 && status < 500 && status != 408 && status != 429 && !refusesEveryRequest(service);
        }

        private static boolean refusesEveryRequest(SdkServiceException error) {
            return error instanceof AwsServiceException aws
                    && aws.awsErrorDetails() != null
                    && UNWELL.contains(aws.awsErrorDetails().errorCode());
        }
    }
}
