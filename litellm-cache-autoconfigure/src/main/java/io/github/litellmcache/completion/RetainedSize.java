package io.github.litellmcache.completion;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An estimate, in bytes, of the heap that a request, a response or a plain parameter value retains:
 * every string (two bytes a character), number, map key, list slot, message field and vector element
 * counts, with object headers. The estimate stops growing soon after it passes its limit, so that a
 * huge value costs no more than the limit to measure.
 */
public final class RetainedSize {

    private static final long OBJECT = 16;
    private static final long REFERENCE = 8;
    private static final long STRING = 40;
    private static final long BOXED = 16;
    private static final long MAP_ENTRY = 40;
    private static final long MESSAGE = 72;
    private static final long REQUEST_OR_RESPONSE = 64;

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
            this.bytes += STRING + 2L * text.length();
        } else if (value instanceof ChatMessage message) {
            addMessage(message);
        } else if (value instanceof LlmRequest request) {
            this.bytes += REQUEST_OR_RESPONSE;
            add(request.params());
        } else if (value instanceof ChatCompletion completion) {
            this.bytes += REQUEST_OR_RESPONSE;
            add(completion.choices());
            add(completion.extraFields());
        } else if (value instanceof ChatCompletion.Choice choice) {
            this.bytes += OBJECT;
            add(choice.message());
            add(choice.extraFields());
        } else if (value instanceof EmbeddingResponse embeddings) {
            this.bytes += REQUEST_OR_RESPONSE;
            add(embeddings.data());
            add(embeddings.extraFields());
        } else if (value instanceof EmbeddingResponse.Embedding embedding) {
            this.bytes += OBJECT * 2 + Float.BYTES * (long) embedding.dimensions();
            add(embedding.extraFields());
        } else if (value instanceof Map<?, ?> map) {
            this.bytes += OBJECT * 4;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                this.bytes += MAP_ENTRY;
                add(entry.getKey());
                add(entry.getValue());
            }
        } else if (value instanceof Collection<?> list) {
            this.bytes += OBJECT * 2 + REFERENCE * list.size();
            for (Object element : list) {
                add(element);
            }
        } else if (value instanceof BigInteger number) {
            this.bytes += OBJECT * 3 + number.bitLength() / 8;
        } else if (value instanceof BigDecimal number) {
            this.bytes += OBJECT * 5 + number.unscaledValue().bitLength() / 8;
        } else {
            this.bytes += BOXED;
        }
    }

    private void addMessage(ChatMessage message) {
        this.bytes += MESSAGE;
        add(message.role());
        add(message.content());
        add(message.contentParts());
        add(message.name());
        add(message.toolCalls());
        add(message.toolCallId());
        add(message.extraFields());
    }
}
