package io.github.litellmcache.completion;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An estimate, in bytes, of the heap that a request, a response (completion, stream chunk, embeddings) or a plain
 * value retains, in one walk over it: every object counts its header, its references (four or eight bytes, as the JVM
 * holds them) and its fields, each object on its own even where the JVM shares one; a string two bytes a
 * character, whichever coder holds it (as a builder's spare capacity may); a map its table and an entry per key; a
 * number its box; a vector four bytes a value. Empty maps and lists count as the shared empty ones their
 * owners hold. The estimate stops growing soon after it passes its limit, so that a huge value costs no more than the
 * limit to measure.
 */
public final class RetainedSize {

    /** A reference: four bytes with compressed references (HotSpot's default below a 32GB heap), else eight. */
    private static final long REFERENCE = compressedReferences() ? 4 : 8;

    /** An object's header: a mark word and a class pointer, counted as large as a reference. */
    private static final long HEADER = Long.BYTES + REFERENCE;

    /** The unmodifiable view around a copied map or list. */
    private static final long VIEW = object(3, 0);

    /** A linked hash map, in its view: its table, key and value views, head and tail; its counts and load factor. */
    private static final long MAP = VIEW + object(6, 4 * Integer.BYTES + 1);

    /** A linked hash map's entry: its hash, key, value, next entry and the two links of its order. */
    private static final long MAP_ENTRY = object(5, Integer.BYTES);

    /** A list, in its view: its array, its size and modification count (the array is counted on its own). */
    private static final long LIST = VIEW + object(1, 2 * Integer.BYTES);

    private static final long STRING = object(1, Integer.BYTES + 2);
    private static final long BOXED = object(0, Long.BYTES);
    private static final long BIG_INTEGER = object(1, 5 * Integer.BYTES);
    private static final long BIG_DECIMAL = object(2, Long.BYTES + 2 * Integer.BYTES);
    private static final long INSTANT = object(0, Long.BYTES + Integer.BYTES);
    private static final long REQUEST = object(6, 0);
    private static final long COMPLETION = object(7, Long.BYTES + 2);
    private static final long COMPLETION_CHOICE = object(3, Integer.BYTES);
    private static final long MESSAGE = object(7, Integer.BYTES + 1);
    private static final long CHUNK = object(5, Long.BYTES + 1);
    private static final long CHUNK_CHOICE = object(3, Integer.BYTES);
    private static final long DELTA = object(4, 0);
    private static final long USAGE = object(1, 3 * Long.BYTES);
    private static final long EMBEDDINGS = object(5, 2);
    private static final long EMBEDDING = object(2, Integer.BYTES);

    private final long limit;
    private long bytes;

    private RetainedSize(long limit) {
        this.limit = limit;
    }

    /** The estimated size of {@code value}, or a number over {@code limit} when it is larger. */
    public static long of(@Nullable Object value, long limit) {
        RetainedSize size = new RetainedSize(limit);
        size.add(value);
        return size.bytes;
    }

    private void add(@Nullable Object value) {
        if (value == null || this.bytes > this.limit) {
            return;
        }
        if (value instanceof String text) {
            this.bytes += STRING + array(Character.BYTES, text.length());
        } else if (value instanceof Map<?, ?> map) {
            addMap(map);
        } else if (value instanceof Collection<?> list) {
            addCollection(list);
        } else if (value instanceof ChatCompletionChunk chunk) {
            addAll(CHUNK, chunk.id(), chunk.model(), chunk.choices(), chunk.usage(), chunk.extraFields());
        } else if (value instanceof ChatCompletionChunk.Choice choice) {
            addAll(CHUNK_CHOICE, choice.delta(), choice.finishReason(), choice.extraFields());
        } else if (value instanceof ChatCompletionChunk.Delta delta) {
            addAll(DELTA, delta.role(), delta.content(), delta.toolCalls(), delta.extraFields());
        } else if (value instanceof ChatMessage message) {
            addAll(
                    MESSAGE,
                    message.role(),
                    message.content(),
                    message.contentParts(),
                    message.name(),
                    message.toolCalls(),
                    message.toolCallId(),
                    message.extraFields());
        } else if (value instanceof ChatCompletion completion) {
            addAll(
                    COMPLETION,
                    completion.id(),
                    completion.model(),
                    completion.choices(),
                    completion.usage(),
                    completion.systemFingerprint(),
                    completion.extraFields(),
                    completion.cacheKey());
        } else if (value instanceof ChatCompletion.Choice choice) {
            addAll(COMPLETION_CHOICE, choice.message(), choice.finishReason(), choice.extraFields());
        } else if (value instanceof Usage usage) {
            addAll(USAGE, usage.extraFields());
        } else if (value instanceof EmbeddingResponse embeddings) {
            addAll(
                    EMBEDDINGS,
                    embeddings.data(),
                    embeddings.model(),
                    embeddings.usage(),
                    embeddings.extraFields(),
                    embeddings.cacheKey());
        } else if (value instanceof EmbeddingResponse.Embedding embedding) {
            this.bytes += EMBEDDING + array(Float.BYTES, embedding.dimensions());
            add(embedding.extraFields());
        } else if (value instanceof LlmRequest request) {
            addAll(REQUEST, request.params());
        } else if (value instanceof BigInteger number) {
            addBigInteger(number);
        } else if (value instanceof BigDecimal number) {
            this.bytes += BIG_DECIMAL;
            addBigInteger(number.unscaledValue());
        } else if (value instanceof Instant) {
            this.bytes += INSTANT;
        } else {
            this.bytes += BOXED;
        }
    }

    private void addAll(long own, @Nullable Object... fields) {
        this.bytes += own;
        for (Object field : fields) {
            add(field);
        }
    }

    private void addMap(Map<?, ?> map) {
        if (map.isEmpty()) {
            return;
        }
        this.bytes += MAP + array(REFERENCE, tableLength(map.size()));
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            this.bytes += MAP_ENTRY;
            add(entry.getKey());
            add(entry.getValue());
        }
    }

    private void addCollection(Collection<?> list) {
        if (list.isEmpty()) {
            return;
        }
        this.bytes += LIST + array(REFERENCE, list.size());
        for (Object element : list) {
            add(element);
        }
    }

    private void addBigInteger(BigInteger number) {
        this.bytes += BIG_INTEGER + array(Integer.BYTES, (number.bitLength() + 31) / 32);
    }

    /** The length of a hash map's table for {@code size} keys: a power of two at least {@code size / 0.75}. */
    private static int tableLength(int size) {
        return Integer.highestOneBit(((int) (size / 0.75f) + 1) * 2 - 1);
    }

    private static long object(int references, int fieldBytes) {
        return align(HEADER + references * REFERENCE + fieldBytes);
    }

    private static long array(long elementBytes, long length) {
        return align(HEADER + Integer.BYTES + elementBytes * length);
    }

    /**
     * Whether the JVM compresses references: HotSpot then names the mode in {@code java.vm.compressedOopsMode}, read
     * without starting its management beans; another JVM, which does not, is assumed not to.
     */
    private static boolean compressedReferences() {
        return System.getProperty("java.vm.compressedOopsMode") != null;
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }
}
