package io.github.litellmcache.cache;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.ChatCompletionChunks;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.completion.LlmResponse;
import io.github.litellmcache.completion.Usage;
import io.github.litellmcache.completion.WireFormat;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stored form of an entry in a shared store: a versioned JSON envelope holding the format
 * version, when the entry was stored and the response in the OpenAI wire format, for example
 * {@code {"format":2,"stored_at":1732611234123,"type":"chat.completion","response":{...}}}, with the
 * {@code "chunks"} of a streamed completion before the response, and, for an entry with an end (one written with a
 * TTL to Redis, or kept past its TTL for {@code staleIfError}), {@code "fresh_until"} (epoch milliseconds) after
 * {@code stored_at}. That field is
 * optional, so entries written without it read as before.
 * A value that is not such an envelope (another format version, a foreign value) decodes to null,
 * which the cache treats as a miss. The envelope is written with the response last, so that it is
 * read after the format and type.
 */
public final class CacheEntryCodec {

    /**
     * The version of the envelope this codec writes and reads. Format 2 keeps every field the
     * provider sent; an entry of format 1, which dropped the fields the types did not model, is a
     * miss, so that no hit answers with less than the provider said, and is replaced on that miss.
     */
    public static final int FORMAT = 2;

    /**
     * The largest envelope a remote backend writes or decodes: 64 MB, the default of {@code litellm.max-response-size}.
     * A larger value at an entry's key (put there by someone else, or by a mistake) is a miss, left in place and never
     * decoded, as decoding multiplies its size on the heap.
     */
    public static final long MAX_ENVELOPE_BYTES = 64L * 1024 * 1024;

    private static final String CHAT = "chat.completion";

    private static final String EMBEDDING = "embedding";

    /**
     * Shared by every codec, as the mapper and readers are thread-safe: the serializers Jackson builds on
     * first use are then built once, and {@link #warmUp()} warms every backend's codec.
     */
    private static final JsonMapper JSON = WireFormat.jsonMapper();

    /** Readers of a response inside the envelope, which goes on after it. */
    private static final ObjectReader CHAT_READER = responseReader(ChatCompletion.class);

    private static final ObjectReader EMBEDDING_READER = responseReader(EmbeddingResponse.class);

    private static final ObjectReader CHUNKS_READER =
            JSON.readerForListOf(ChatCompletionChunk.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * Encodes and decodes an entry of each kind (a streamed completion with its chunks, an embedding),
     * so that class loading and Jackson's serializers are ready before a read or write has a deadline.
     */
    public static void warmUp() {
        CacheEntryCodec codec = new CacheEntryCodec();
        ChatCompletion completion = new ChatCompletion(
                "chatcmpl-warm-up",
                0,
                "warm-up",
                List.of(new ChatCompletion.Choice(0, ChatMessage.assistant("warm-up"), "stop")),
                new Usage(1, 1, 2),
                null);
        List<CacheEntry> entries = List.of(
                new CacheEntry(completion, Instant.EPOCH, ChatCompletionChunks.split(completion, true)),
                new CacheEntry(
                        new EmbeddingResponse(
                                List.of(new EmbeddingResponse.Embedding(0, new float[] {1f})),
                                "warm-up",
                                new Usage(1, 0, 1)),
                        Instant.EPOCH));
        entries.forEach(entry -> codec.decode(codec.encode(entry)));
    }

    public byte[] encode(CacheEntry entry) {
        Map<String, Object> envelope = new LinkedHashMap<>(6);
        envelope.put("format", FORMAT);
        envelope.put("stored_at", entry.storedAt().toEpochMilli());
        if (entry.freshUntil() != null) {
            envelope.put("fresh_until", entry.freshUntil().toEpochMilli());
        }
        envelope.put("type", (entry.response() instanceof EmbeddingResponse) ? EMBEDDING : CHAT);
        if (entry.chunks() != null) {
            envelope.put("chunks", entry.chunks());
        }
        envelope.put("response", entry.response());
        return JSON.writeValueAsBytes(envelope);
    }

    /**
     * The entry in {@code value}, or null when it is not an envelope of this format holding a response
     * that could have been stored (such as one whose choices all have a message). Read in one
     * streaming pass; the response is read only once the format and type are known.
     */
    public @Nullable CacheEntry decode(byte[] value) {
        try (JsonParser parser = JSON.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            int format = -1;
            Long storedAt = null;
            Long freshUntil = null;
            ObjectReader type = null;
            List<ChatCompletionChunk> chunks = null;
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                switch (name) {
                    case "format" -> format = (token == JsonToken.VALUE_NUMBER_INT) ? parser.getIntValue() : -1;
                    case "stored_at" -> storedAt = (token == JsonToken.VALUE_NUMBER_INT) ? parser.getLongValue() : null;
                    case "fresh_until" ->
                        freshUntil = (token == JsonToken.VALUE_NUMBER_INT) ? parser.getLongValue() : null;
                    case "type" -> type = responseReader(parser.getString());
                    case "chunks" -> {
                        if (token != JsonToken.START_ARRAY) {
                            return null;
                        }
                        chunks = CHUNKS_READER.readValue(parser);
                    }
                    case "response" -> {
                        if (format != FORMAT || storedAt == null || type == null || token != JsonToken.START_OBJECT) {
                            return null;
                        }
                        LlmResponse response = type.readValue(parser);
                        if (!response.isCacheable()) {
                            return null;
                        }
                        return new CacheEntry(
                                response,
                                Instant.ofEpochMilli(storedAt),
                                chunks,
                                (freshUntil != null) ? Instant.ofEpochMilli(freshUntil) : null);
                    }
                    default -> parser.skipChildren();
                }
            }
            return null;
        } catch (RuntimeException notAnEntryOfOurs) { // a value another writer left, which no read may fail on
            return null;
        }
    }

    private static @Nullable ObjectReader responseReader(@Nullable String type) {
        if (CHAT.equals(type)) {
            return CHAT_READER;
        }
        return EMBEDDING.equals(type) ? EMBEDDING_READER : null;
    }

    private static ObjectReader responseReader(Class<? extends LlmResponse> type) {
        return JSON.readerFor(type).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }
}
