package io.github.litellmcache.cache;

import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.LlmRequest;
import io.github.litellmcache.completion.ProviderRoute;
import io.github.litellmcache.completion.ProviderRouter;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The default key: the SHA-256, as 64 lowercase hex characters, of a canonical JSON form of the
 * request: its kind (chat or embedding), its provider route (provider, base URL and, for Azure, the
 * API version, which changes what the deployment answers), the model
 * without its provider prefix and every provider parameter, with object properties and map keys
 * sorted, so that the order in which parameters or map entries were set never changes the key.
 * The API key, metadata, timeout, the caching options and {@code mockResponse} are not parameters,
 * so they never enter it.
 *
 * <p>Digesting the canonical form is most of the cost of a cache hit, so the keys of requests whose
 * parameters are plain values ({@link LlmRequest#hasPlainParams()}) and hold at most 8 K characters
 * of text are remembered for the most recent requests: a repeated request is then keyed by comparing its parameters with
 * {@code equals}, as {@code @Cacheable} does, and gets the same digest.
 */
public final class DefaultCacheKeyGenerator implements CacheKeyGenerator {

    private static final HexFormat HEX = HexFormat.of();

    /** Requests whose keys are remembered; the memo starts over when it is full. */
    private static final int MEMO_SIZE = 1_024;

    /**
     * Characters of text beyond which a request's key is not remembered, so that the memo holds at
     * most a few megabytes of prompts.
     */
    private static final int MEMO_MAX_TEXT = 8_192;

    private final Map<Canonical, String> memo = new ConcurrentHashMap<>();

    private final ProviderRouter router;
    private final JsonMapper canonicalJson;
    private final MessageDigest sha256;

    public DefaultCacheKeyGenerator(ProviderRouter router) {
        this.router = router;
        this.canonicalJson = JsonMapper.builder()
                .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .build();
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("this JVM has no SHA-256", ex);
        }
    }

    @Override
    public String generateKey(CallType callType, LlmRequest request) {
        ProviderRoute route = this.router.route(request);
        Canonical canonical = new Canonical(
                (request instanceof EmbeddingRequest) ? "embedding" : "chat",
                route.provider(),
                route.apiBase(),
                route.apiVersion(),
                route.model(),
                request.params());
        if (!request.hasPlainParams()) {
            return digest(canonical);
        }
        String key = this.memo.get(canonical);
        if (key == null) {
            key = digest(canonical);
            if (textLength(request.params().values()) <= MEMO_MAX_TEXT) {
                if (this.memo.size() >= MEMO_SIZE) {
                    this.memo.clear();
                }
                this.memo.put(canonical, key);
            }
        }
        return key;
    }

    /** The characters of text in {@code values}, counted until the memo's limit is passed. */
    private static int textLength(Iterable<?> values) {
        int length = 0;
        for (Object value : values) {
            if (value instanceof String text) {
                length += text.length();
            } else if (value instanceof ChatMessage message) {
                length += (message.content() != null) ? message.content().length() : 0;
                length += (message.contentParts() != null) ? textLength(message.contentParts()) : 0;
            } else if (value instanceof Iterable<?> list) {
                length += textLength(list);
            } else if (value instanceof Map<?, ?> map) {
                length += textLength(map.values());
            }
            if (length > MEMO_MAX_TEXT) {
                break;
            }
        }
        return length;
    }

    private String digest(Canonical canonical) {
        Map<String, Object> params = new LinkedHashMap<>(canonical.params());
        params.put("model", canonical.model());
        Map<String, Object> form = new LinkedHashMap<>(4);
        form.put("kind", canonical.kind());
        form.put("provider", canonical.provider());
        form.put("api_base", canonical.apiBase());
        if (canonical.apiVersion() != null) {
            form.put("api_version", canonical.apiVersion());
        }
        form.put("params", params);
        MessageDigest digest = newDigest();
        this.canonicalJson.writeValue(new DigestSink(digest), form);
        return HEX.formatHex(digest.digest());
    }

    private MessageDigest newDigest() {
        try {
            return (MessageDigest) this.sha256.clone();
        } catch (CloneNotSupportedException ex) {
            throw new IllegalStateException("SHA-256 digest cannot be cloned", ex);
        }
    }

    /** What the key is computed from; equal when the canonical forms are, for plain parameters. */
    private record Canonical(
            String kind,
            String provider,
            String apiBase,
            @Nullable String apiVersion,
            String model,
            Map<String, Object> params) {}

    /** Feeds what Jackson writes straight into the digest, without a copy of the JSON. */
    private static final class DigestSink extends OutputStream {

        private final MessageDigest digest;

        DigestSink(MessageDigest digest) {
            this.digest = digest;
        }

        @Override
        public void write(int b) {
            this.digest.update((byte) b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            this.digest.update(bytes, offset, length);
        }
    }
}
