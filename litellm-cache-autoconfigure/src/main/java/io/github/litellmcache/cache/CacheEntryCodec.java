package io.github.litellmcache.cache;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.completion.LlmResponse;
import io.github.litellmcache.completion.WireFormat;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stored form of an entry in a shared store: a versioned JSON envelope holding the format
 * version, when the entry was stored and the response in the OpenAI wire format, for example
 * {@code {"format":1,"stored_at":1732611234123,"type":"chat.completion","response":{...}}}.
 * A value that is not such an envelope (another format version, a foreign value) decodes to null,
 * which the cache treats as a miss.
 */
public final class CacheEntryCodec {

    /** The version of the envelope this codec writes and reads. */
    public static final int FORMAT = 1;

    private static final String CHAT = "chat.completion";

    private static final String EMBEDDING = "embedding";

    private final JsonMapper json = WireFormat.jsonMapper();

    public byte[] encode(CacheEntry entry) {
        Map<String, Object> envelope = new LinkedHashMap<>(4);
        envelope.put("format", FORMAT);
        envelope.put("stored_at", entry.storedAt().toEpochMilli());
        envelope.put("type", (entry.response() instanceof EmbeddingResponse) ? EMBEDDING : CHAT);
        envelope.put("response", entry.response());
        return this.json.writeValueAsBytes(envelope);
    }

    /** The entry in {@code value}, or null when it is not an envelope of this format. */
    public @Nullable CacheEntry decode(byte[] value) {
        try {
            JsonNode envelope = this.json.readTree(value);
            if (envelope.path("format").asInt(-1) != FORMAT
                    || !envelope.path("stored_at").canConvertToLong()) {
                return null;
            }
            Class<? extends LlmResponse> type = switch (envelope.path("type").asString("")) {
                case CHAT -> ChatCompletion.class;
                case EMBEDDING -> EmbeddingResponse.class;
                default -> null;
            };
            if (type == null || !envelope.path("response").isObject()) {
                return null;
            }
            LlmResponse response = this.json.treeToValue(envelope.path("response"), type);
            return new CacheEntry(
                    response, Instant.ofEpochMilli(envelope.path("stored_at").asLong()));
        } catch (JacksonException | IllegalArgumentException notAnEnvelope) {
            return null;
        }
    }
}
