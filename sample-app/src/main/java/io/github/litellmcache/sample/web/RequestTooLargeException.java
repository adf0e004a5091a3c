package io.github.litellmcache.sample.web;

/** A request body over {@code sample.limits.max-body-size}: a 413, whose message names the limit. */
final class RequestTooLargeException extends RuntimeException {

    RequestTooLargeException(String message) {
        super(message, null, false, false);
    }
}
