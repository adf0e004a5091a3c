package io.github.litellmcache.sample.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a request body into a JSON object within {@link SampleProperties.Limits}: a body whose
 * {@code Content-Length} is over {@code max-body-size} is refused before any of it is read, and a
 * body without one is refused as soon as that much has arrived; nesting and string lengths are
 * bounded while parsing, and numbers beyond a double's range are refused, so that nothing later
 * (keys, provider calls, the mock) meets them.
 */
final class RequestBodyReader {

    private final SampleProperties.Limits limits;

    private final JsonMapper json;

    RequestBodyReader(SampleProperties.Limits limits) {
        this.limits = limits;
        this.json = JsonMapper.builder(JsonFactory.builder()
                        .streamReadConstraints(StreamReadConstraints.builder()
                                .maxNestingDepth(limits.getMaxNestingDepth())
                                .maxStringLength(limits.getMaxStringLength())
                                .build())
                        .build())
                .build();
    }

    Mono<Map<String, Object>> read(ServerRequest request) {
        MediaType type = request.headers().contentType().orElse(null);
        if (type == null || !MediaType.APPLICATION_JSON.isCompatibleWith(type)) {
            return Mono.error(new UnsupportedMediaTypeStatusException(type, List.of(MediaType.APPLICATION_JSON)));
        }
        long maxBytes = this.limits.getMaxBodySize().toBytes();
        OptionalLong length = request.headers().contentLength();
        if (length.isPresent() && length.getAsLong() > maxBytes) {
            return Mono.error(this::tooLarge);
        }
        int maxInMemory = (int) Math.min(maxBytes, Integer.MAX_VALUE);
        return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), maxInMemory)
                .onErrorMap(DataBufferLimitException.class, error -> tooLarge())
                .map(this::parse)
                .switchIfEmpty(Mono.error(RequestBodyReader::notAnObject));
    }

    private Map<String, Object> parse(DataBuffer buffer) {
        Object body;
        try (InputStream in = buffer.asInputStream(true)) {
            body = this.json.readValue(in, Object.class);
        } catch (StreamConstraintsException error) {
            throw overLimit(error);
        } catch (JacksonException error) {
            throw notAnObject();
        } catch (IOException error) {
            throw new UncheckedIOException(error);
        }
        if (!(body instanceof Map<?, ?> map)) {
            throw notAnObject();
        }
        requireFiniteNumbers(map, "");
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) map;
        return object;
    }

    /** Refuses a number that Jackson read as an infinite double ({@code 1e309}), naming its field. */
    private static void requireFiniteNumbers(Object value, String path) {
        if (value instanceof Map<?, ?> map) {
            map.forEach(
                    (name, field) -> requireFiniteNumbers(field, path.isEmpty() ? (String) name : path + "." + name));
        } else if (value instanceof List<?> items) {
            for (int i = 0; i < items.size(); i++) {
                requireFiniteNumbers(items.get(i), path + "[" + i + "]");
            }
        } else if (value instanceof Double number && number.isInfinite()) {
            throw InvalidRequestException.invalidValue(
                    path, path + " is beyond the range of a double (about 1.8e308): send a smaller number");
        }
    }

    private RequestTooLargeException tooLarge() {
        return new RequestTooLargeException("the request body is larger than "
                + readable(this.limits.getMaxBodySize())
                + ", the server's sample.limits.max-body-size: send less, or raise that setting");
    }

    private InvalidRequestException overLimit(StreamConstraintsException error) {
        String reason = String.valueOf(error.getOriginalMessage());
        if (reason.contains("nesting depth")) {
            return InvalidRequestException.invalidBody("the request body nests objects and arrays deeper than "
                    + this.limits.getMaxNestingDepth()
                    + " levels, the server's sample.limits.max-nesting-depth: flatten it, or raise that setting");
        }
        if (reason.contains("String value length")) {
            return InvalidRequestException.invalidBody("a string in the request body is longer than "
                    + this.limits.getMaxStringLength()
                    + " characters, the server's sample.limits.max-string-length: shorten it, or raise that setting");
        }
        return InvalidRequestException.invalidBody(
                "a number or field name in the request body is too long: send numbers"
                        + " of at most " + StreamReadConstraints.DEFAULT_MAX_NUM_LEN + " digits and names of at most "
                        + StreamReadConstraints.DEFAULT_MAX_NAME_LEN + " characters");
    }

    private static String readable(DataSize size) {
        long bytes = size.toBytes();
        if (bytes % DataSize.ofMegabytes(1).toBytes() == 0) {
            return size.toMegabytes() + "MB";
        }
        return (bytes % DataSize.ofKilobytes(1).toBytes() == 0) ? size.toKilobytes() + "KB" : bytes + "B";
    }

    private static InvalidRequestException notAnObject() {
        return InvalidRequestException.invalidBody("the request body must be a JSON object, in UTF-8");
    }
}
