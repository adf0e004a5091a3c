package io.github.litellmcache.cache;

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
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The default key: the SHA-256, as 64 lowercase hex characters, of a canonical JSON form of the
 * request: its kind (chat or embedding), its provider route (provider and base URL), the model
 * without its provider prefix and every provider parameter, with object properties and map keys
 * sorted, so that the order in which parameters or map entries were set never changes the key.
 * The API key, metadata, timeout, the caching options and {@code mockResponse} are not parameters,
 * so they never enter it.
 */
public final class DefaultCacheKeyGenerator implements CacheKeyGenerator {

    private static final HexFormat HEX = HexFormat.of();

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
        Map<String, Object> params = new LinkedHashMap<>(request.params());
        params.put("model", route.model());
        Map<String, Object> canonical = new LinkedHashMap<>(4);
        canonical.put("kind", (request instanceof EmbeddingRequest) ? "embedding" : "chat");
        canonical.put("provider", route.provider());
        canonical.put("api_base", route.apiBase());
        canonical.put("params", params);
        MessageDigest digest = newDigest();
        this.canonicalJson.writeValue(new DigestSink(digest), canonical);
        return HEX.formatHex(digest.digest());
    }

    private MessageDigest newDigest() {
        try {
            return (MessageDigest) this.sha256.clone();
        } catch (CloneNotSupportedException ex) {
            throw new IllegalStateException("SHA-256 digest cannot be cloned", ex);
        }
    }

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
