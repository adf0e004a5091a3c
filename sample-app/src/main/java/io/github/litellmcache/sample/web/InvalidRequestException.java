package io.github.litellmcache.sample.web;

import org.jspecify.annotations.Nullable;

/**
 * A request body this endpoint refuses before any cache or provider is involved, worded for an HTTP
 * client: the message names the JSON field and what to send, {@link #param()} is the field as
 * OpenAI's error {@code param}, and {@link #code()} is OpenAI's error {@code code}. Messages never
 * repeat the values that were sent, so that no prompt text or secret comes back in an error.
 */
final class InvalidRequestException extends IllegalArgumentException {

    private final @Nullable String param;
    private final @Nullable String code;

    private InvalidRequestException(String message, @Nullable String param, @Nullable String code) {
        super(message);
        this.param = param;
        this.code = code;
    }

    /**
     * A required field that is absent, null or blank.
     *
     * @param param the field, such as {@code model} or {@code messages[0].role}
     * @param where where to add it, such as {@code the request body}
     * @param example a JSON value to suggest, such as {@code "gpt-4o-mini"} with its quotes
     */
    static InvalidRequestException missing(String param, String where, String example) {
        return new InvalidRequestException(
                param + " is required: add \"" + leaf(param) + "\": " + example + " to " + where,
                param,
                "missing_required_parameter");
    }

    /** A field whose JSON type is wrong, for example a string where a number belongs. */
    static InvalidRequestException invalidType(String param, String expected) {
        return new InvalidRequestException(param + " must be " + expected, param, "invalid_type");
    }

    /**
     * A field of the right type whose value is refused, or null for the request body as a whole;
     * {@code message} says which values are accepted.
     */
    static InvalidRequestException invalidValue(@Nullable String param, String message) {
        return new InvalidRequestException(message, param, "invalid_value");
    }

    /**
     * A body refused as a whole (not JSON, or over a limit of {@code sample.limits}), with no field
     * to name: {@code param} and {@code code} are null, as OpenAI sends them for a body it cannot parse.
     */
    static InvalidRequestException invalidBody(String message) {
        return new InvalidRequestException(message, null, null);
    }

    @Nullable
    String param() {
        return this.param;
    }

    @Nullable
    String code() {
        return this.code;
    }

    private static String leaf(String param) {
        return param.substring(param.lastIndexOf('.') + 1);
    }
}
