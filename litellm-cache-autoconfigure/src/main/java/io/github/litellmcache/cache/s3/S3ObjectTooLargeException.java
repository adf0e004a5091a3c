package io.github.litellmcache.cache.s3;

/** An object at an entry's key larger than the backend reads, given up before its body is read whole. */
final class S3ObjectTooLargeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    S3ObjectTooLargeException(long maxBytes) {
        super("the S3 object is larger than " + maxBytes + " bytes", null, false, false);
    }

    /** Whether {@code error}, or one of its causes (the SDK may wrap it), is an object too large. */
    static boolean isTooLarge(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof S3ObjectTooLargeException) {
                return true;
            }
        }
        return false;
    }
}
