package io.github.litellmcache.benchmarks;

import io.github.litellmcache.completion.ChatMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A prototype, for {@link HitPathBreakdownBenchmark} only: an alternative canonical form of a
 * request fed straight into SHA-256, without JSON. Each value is a type tag followed by its
 * content, strings and containers by their length, so that the form is unambiguous without
 * escaping, and strings go to the digest as {@code String.getBytes(UTF_8)} (a plain copy for
 * Latin-1 strings). Map keys are sorted, as in the library's canonical JSON. It gives other keys
 * than the library's generator; it shows how much of the key's time is the JSON.
 */
final class LengthPrefixedDigest {

    private static final HexFormat HEX = HexFormat.of();

    private final MessageDigest prototype;

    LengthPrefixedDigest() {
        try {
            this.prototype = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    String key(String kind, String provider, String apiBase, String model, Map<String, Object> params) {
        MessageDigest digest;
        try {
            digest = (MessageDigest) this.prototype.clone();
        } catch (CloneNotSupportedException ex) {
            throw new IllegalStateException(ex);
        }
        Encoder encoder = new Encoder(digest);
        encoder.string(kind);
        encoder.string(provider);
        encoder.string(apiBase);
        encoder.string(model);
        encoder.map(params, "model");
        return HEX.formatHex(encoder.finish());
    }

    private static final class Encoder {

        private final MessageDigest digest;

        private final byte[] buffer = new byte[4096];

        private int used;

        Encoder(MessageDigest digest) {
            this.digest = digest;
        }

        byte[] finish() {
            flush();
            return this.digest.digest();
        }

        void value(Object value) {
            if (value == null) {
                tag('n', 0);
            } else if (value instanceof String text) {
                string(text);
            } else if (value instanceof ChatMessage message) {
                message(message);
            } else if (value instanceof Map<?, ?> map) {
                map(map, null);
            } else if (value instanceof List<?> list) {
                tag('l', list.size());
                for (Object item : list) {
                    value(item);
                }
            } else if (value instanceof Number || value instanceof Boolean) {
                String text = value.toString();
                tag('#', text.length());
                bytes(text.getBytes(StandardCharsets.ISO_8859_1));
            } else {
                throw new IllegalArgumentException("unsupported parameter type " + value.getClass());
            }
        }

        void string(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            tag('s', bytes.length);
            bytes(bytes);
        }

        void map(Map<?, ?> map, String skip) {
            List<String> keys = new ArrayList<>(map.size());
            for (Object key : map.keySet()) {
                if (!key.equals(skip)) {
                    keys.add((String) key);
                }
            }
            keys.sort(null);
            tag('m', keys.size());
            for (String key : keys) {
                string(key);
                value(map.get(key));
            }
        }

        private void message(ChatMessage message) {
            tag('c', 6);
            string(message.role());
            value(message.content());
            value(message.contentParts());
            value(message.name());
            value(message.toolCalls());
            value(message.toolCallId());
        }

        private void tag(char tag, int length) {
            if (this.used + 5 > this.buffer.length) {
                flush();
            }
            this.buffer[this.used++] = (byte) tag;
            this.buffer[this.used++] = (byte) (length >>> 24);
            this.buffer[this.used++] = (byte) (length >>> 16);
            this.buffer[this.used++] = (byte) (length >>> 8);
            this.buffer[this.used++] = (byte) length;
        }

        /** Small writes are gathered, so that the digest sees few large updates. */
        private void bytes(byte[] bytes) {
            if (bytes.length > this.buffer.length - this.used) {
                flush();
                if (bytes.length > this.buffer.length) {
                    this.digest.update(bytes);
                    return;
                }
            }
            System.arraycopy(bytes, 0, this.buffer, this.used, bytes.length);
            this.used += bytes.length;
        }

        private void flush() {
            this.digest.update(this.buffer, 0, this.used);
            this.used = 0;
        }
    }
}
