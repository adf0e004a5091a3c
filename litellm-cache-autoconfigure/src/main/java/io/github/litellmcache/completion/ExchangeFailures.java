package io.github.litellmcache.completion;

import io.github.litellmcache.display.PropertyValues;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.springframework.core.codec.CodecException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.web.reactive.function.UnsupportedMediaTypeException;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.DatabindException;

/**
 * How a failed exchange with a provider is told to the caller: as an {@link LlmException} of status 0 that names what
 * went wrong (no answer in time, no connection, a connection closed mid-answer, an answer too large or that cannot be
 * read), its cause kept; an {@link LlmException} already made passes as it is.
 */
final class ExchangeFailures {

    private ExchangeFailures() {}

    static Throwable toLlmException(ProviderRoute route, Duration timeout, Throwable error) {
        if (error instanceof LlmException) {
            return error;
        }
        if (error instanceof TimeoutException) {
            return new LlmException(
                    0,
                    route.provider() + " did not answer within " + PropertyValues.of(timeout)
                            + " (the request's timeout, else litellm.request-timeout)",
                    error);
        }
        if (error instanceof WebClientRequestException) {
            return new LlmException(
                    0,
                    "could not reach " + route.provider() + ": check its api-base and that it is up"
                            + " (the address and the network error are in this exception's cause)",
                    error);
        }
        if (error instanceof IOException
                || (error instanceof WebClientResponseException && error.getCause() instanceof IOException)) {
            return new LlmException(
                    0,
                    "the connection to " + route.provider() + " closed before its answer was complete: try again,"
                            + " and check the network and any proxy on the way if it keeps happening",
                    error);
        }
        if (error instanceof DataBufferLimitException || error.getCause() instanceof DataBufferLimitException) {
            return new LlmException(
                    0,
                    route.provider() + "'s answer is larger than the client's buffer limit: raise"
                            + " litellm.max-response-size (or the limit of the WebClient given to this service)",
                    error);
        }
        if (error instanceof StreamConstraintsException) {
            return new LlmException(
                    0,
                    route.provider() + " answered with JSON beyond the reader's limits (a number, a string or a"
                            + " nesting too long or too deep; the cause says which), which no OpenAI answer needs",
                    error);
        }
        if (error instanceof DatabindException) {
            return new LlmException(
                    0,
                    route.provider() + " answered with JSON that is not an OpenAI answer:"
                            + " a field is missing or of the wrong type",
                    error);
        }
        if (error instanceof JacksonException) {
            return new LlmException(0, route.provider() + " answered with a body that is not valid JSON", error);
        }
        if (error instanceof CodecException || error instanceof UnsupportedMediaTypeException) {
            return new LlmException(
                    0,
                    route.provider() + " answered a stream with a body that is not server-sent events"
                            + " (text/event-stream): check that it streams this model",
                    error);
        }
        return error;
    }
}
