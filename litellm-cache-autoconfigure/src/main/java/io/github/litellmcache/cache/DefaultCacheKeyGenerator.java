package io.github.litellmcache.cache;

import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.LlmRequest;
import io.github.litellmcache.completion.ProviderRoute;
import io.github.litellmcache.completion.ProviderRouter;
import io.github.litellmcache.completion.RetainedSize;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * The default key: the SHA-256, as 64 lowercase hex characters, of a canonical JSON form of the
 * request: its kind (chat or embedding), its provider route (provider, base URL and, for Azure, the
 * API version, which changes what the deployment answers), the model
 * without its provider prefix and every provider parameter, with object properties and map keys
 * sorted, so that the order in which parameters or map entries were set never changes the key.
 * Map keys are sorted as the names they are written as: parameters that are not plain values (maps
 * with keys other than text, sets, other objects) are first turned into the JSON tree sent to the
 * provider, so that keys which compare equal but are written apart (such as {@code BigDecimal} 1.0 and
 * 1.00) stay apart, and a map whose keys are written as the same name twice gives no key (the call
 * bypasses the cache). A {@code Set}'s elements
 * are written in the order of their JSON, so that equal sets have one key whatever order they iterate
 * in ({@code Set.of} iterates in an order that differs from one JVM to the next), unless the set keeps
 * an order ({@code LinkedHashSet}, {@code SortedSet}): it is sent in that order, so that is its key's.
 * The API key, metadata, timeout, the caching options and {@code mockResponse} are not parameters,
 * so they never enter it. When the built-in mock provider answers every call ({@code litellm.mock.enabled}), the
 * key says so: its answers are not the provider's, and a store kept across runs must never serve one for the other.
 * The items of an embedding request have keys of their own
 * ({@link #itemKeys}, {@link #tokenItemKeys}).
 *
 * <p>Digesting the canonical form is most of the cost of a cache hit, so the keys of requests whose
 * parameters are plain, deep-immutable values ({@link LlmRequest#hasPlainParams()}) are remembered
 * for the most recent requests: a repeated request is then keyed by comparing its parameters with
 * {@code equals}, as {@code @Cacheable} does, and gets the same digest. A request is remembered per
 * namespace (its {@link CacheOptions#namespace()}), so that a caller never gets its key sooner because
 * another namespace sent the same request. The memo is bounded by an estimate of all it retains
 * (namespace, base URL, API version, text, numbers, map keys, tool calls, messages): 8 MB in all, and
 * no request over 64 KB is remembered.
 */
public final class DefaultCacheKeyGenerator implements CacheKeyGenerator {

    private static final HexFormat HEX = HexFormat.of();

    /** Requests whose keys are remembered; the memo starts over when it is full. */
    private static final int MEMO_SIZE = 1_024;

    /** The estimated bytes the memo may retain, parameters, keys and entries included. */
    static final long MEMO_BUDGET = 8L * 1024 * 1024;

    /** The estimated bytes of one request beyond which its key is not remembered. */
    static final long MEMO_MAX_ENTRY = 64L * 1024;

    /** The estimated bytes of a memo entry besides its route and parameters: the record, key and node. */
    private static final long MEMO_ENTRY_OVERHEAD = 320;

    /** What stands for the input in the shared part of a token array's key. */
    private static final String TOKEN_INPUT = "tokens";

    private final Map<Remembered, String> memo = new ConcurrentHashMap<>();

    /** The estimated bytes of the remembered entries; written under the generator's lock. */
    private long memoBytes;

    private final ProviderRouter router;

    /** Whether the mock provider answers every call, so that its answers are keyed apart from a provider's. */
    private final boolean mockProvider;

    private final JsonMapper canonicalJson;

    /** Reads parameters that are not plain back from their JSON as sent, refusing a name written twice. */
    private final JsonMapper wireTree;

    private final MessageDigest sha256;

    public DefaultCacheKeyGenerator(ProviderRouter router) {
        this(router, false);
    }

    /**
     * @param mockProvider whether the built-in mock provider answers every call ({@code litellm.mock.enabled}):
     *     its answers then have keys of their own, which no answer of a real provider has
     */
    public DefaultCacheKeyGenerator(ProviderRouter router, boolean mockProvider) {
        this.router = router;
        this.mockProvider = mockProvider;
        this.canonicalJson = JsonMapper.builder()
                .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
                .build();
        this.wireTree = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .addModule(new SimpleModule().addSerializer(Set.class, new SetInJsonOrder()))
                .build();
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("this JVM has no SHA-256", ex);
        }
    }

    @Override
    public String generateKey(CallType callType, LlmRequest request) {
        if (!request.hasPlainParams()) {
            return digest(canonical(request, request.params()));
        }
        CacheOptions options = request.cache();
        Remembered remembered = new Remembered(
                request instanceof EmbeddingRequest,
                (options != null) ? options.namespace() : null,
                request.apiBase(),
                request.apiVersion(),
                request.params());
        String key = this.memo.get(remembered);
        if (key == null) {
            key = digest(canonical(request, request.params()));
            remember(remembered, key);
        }
        return key;
    }

    /**
     * Remembers the key of {@code remembered} unless its parameters are estimated over
     * {@link #MEMO_MAX_ENTRY}; the memo starts over when it would pass {@link #MEMO_SIZE} entries
     * or {@link #MEMO_BUDGET} bytes.
     */
    private synchronized void remember(Remembered remembered, String key) {
        long size = MEMO_ENTRY_OVERHEAD + remembered.retainedSize(MEMO_MAX_ENTRY);
        if (size > MEMO_MAX_ENTRY) {
            return;
        }
        if (this.memo.size() >= MEMO_SIZE || this.memoBytes + size > MEMO_BUDGET) {
            this.memo.clear();
            this.memoBytes = 0;
        }
        if (this.memo.putIfAbsent(remembered, key) == null) {
            this.memoBytes += size;
        }
    }

    /** The estimated bytes the memo retains: never over {@link #MEMO_BUDGET}. */
    synchronized long memoBytes() {
        return this.memoBytes;
    }

    /**
     * The SHA-256, as hex, of the digest of the request's canonical form without its input followed
     * by the item's UTF-8 bytes ({@link #updateUtf8}): what the items share is digested once per
     * request, and each item's key costs a digest of the item alone.
     */
    @Override
    public Function<String, String> itemKeys(CallType callType, EmbeddingRequest request) {
        MessageDigest prefix = sharedDigest(request, null);
        return item -> {
            MessageDigest digest = newDigest(prefix);
            updateUtf8(digest, item);
            return HEX.formatHex(digest.digest());
        };
    }

    /**
     * Feeds {@code text} as UTF-8, each unpaired surrogate as the three bytes of its code unit (as
     * WTF-8 does), which no text's UTF-8 holds: {@link String#getBytes} writes {@code ?} for it, which
     * would give the text the key of the one with {@code ?} in its place.
     */
    private static void updateUtf8(MessageDigest digest, String text) {
        int start = 0;
        for (int i = CacheKey.unpairedSurrogate(text, 0); i >= 0; i = CacheKey.unpairedSurrogate(text, start)) {
            char c = text.charAt(i);
            digest.update(text.substring(start, i).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) (0xE0 | c >> 12));
            digest.update((byte) (0x80 | (c >> 6 & 0x3F)));
            digest.update((byte) (0x80 | (c & 0x3F)));
            start = i + 1;
        }
        digest.update(text.substring(start).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * As {@link #itemKeys}, with the shared part marked as token input ({@code "input": "tokens"}
     * in its canonical form, which a text request's shared part never holds), so that a token
     * array's key never equals a text's, followed by each token as 4 big-endian bytes, so that
     * different arrays never digest the same bytes.
     */
    @Override
    public Function<List<Integer>, String> tokenItemKeys(CallType callType, EmbeddingRequest request) {
        MessageDigest prefix = sharedDigest(request, TOKEN_INPUT);
        return tokens -> {
            ByteBuffer bytes = ByteBuffer.allocate(Integer.BYTES * tokens.size());
            tokens.forEach(bytes::putInt);
            MessageDigest digest = newDigest(prefix);
            digest.update(bytes.array());
            return HEX.formatHex(digest.digest());
        };
    }

    /** A digest fed with the digest of the request's canonical form, its input replaced by {@code input}. */
    private MessageDigest sharedDigest(EmbeddingRequest request, @Nullable String input) {
        Map<String, Object> shared = new LinkedHashMap<>(request.params());
        shared.remove("input");
        if (input != null) {
            shared.put("input", input);
        }
        MessageDigest prefix = newDigest(this.sha256);
        prefix.update(digestOf(canonical(request, shared)));
        return prefix;
    }

    private Canonical canonical(LlmRequest request, Map<String, Object> params) {
        ProviderRoute route = this.router.route(request);
        return new Canonical(
                (request instanceof EmbeddingRequest) ? "embedding" : "chat",
                route.provider(),
                route.apiBase(),
                route.apiVersion(),
                request.hasPlainParams() ? plainParams(params, route.model()) : wireParams(params, route.model()));
    }

    /** The parameters with the model without its provider prefix. */
    private static Map<String, Object> plainParams(Map<String, Object> params, String model) {
        Map<String, Object> withModel = new LinkedHashMap<>(params);
        withModel.put("model", model);
        return withModel;
    }

    /** As {@link #plainParams}, as the JSON tree written to the provider. */
    private ObjectNode wireParams(Map<String, Object> params, String model) {
        ObjectNode tree = (ObjectNode) this.wireTree.readTree(this.wireTree.writeValueAsBytes(params));
        tree.put("model", model);
        return tree;
    }

    private String digest(Canonical canonical) {
        return HEX.formatHex(digestOf(canonical));
    }

    private byte[] digestOf(Canonical canonical) {
        Map<String, Object> form = new LinkedHashMap<>(4);
        form.put("kind", canonical.kind());
        form.put("provider", canonical.provider());
        if (this.mockProvider) {
            form.put("mock_provider", true);
        }
        form.put("api_base", canonical.apiBase());
        if (canonical.apiVersion() != null) {
            form.put("api_version", canonical.apiVersion());
        }
        form.put("params", canonical.params());
        MessageDigest digest = newDigest(this.sha256);
        this.canonicalJson.writeValue(new DigestSink(digest), form);
        return digest.digest();
    }

    private static MessageDigest newDigest(MessageDigest state) {
        try {
            return (MessageDigest) state.clone();
        } catch (CloneNotSupportedException ex) {
            throw new IllegalStateException("SHA-256 digest cannot be cloned", ex);
        }
    }

    /**
     * What a remembered key is found by: all that the key is computed from, the route given by the
     * model (a parameter), the base URL and API version, so that a repeated request is not routed;
     * and the request's namespace, which the key leaves out: a request is then answered from the memo
     * only when its own namespace asked it before, so that how long keying takes never tells a caller
     * that another namespace sent the same request.
     */
    private record Remembered(
            boolean embedding,
            @Nullable String namespace,
            @Nullable String apiBase,
            @Nullable String apiVersion,
            Map<String, Object> params) {

        /** The estimated bytes of its namespace, base URL, API version and parameters, or a number over the limit. */
        long retainedSize(long limit) {
            return RetainedSize.of(Arrays.asList(this.namespace, this.apiBase, this.apiVersion, this.params), limit);
        }
    }

    /** What the key is computed from. */
    private record Canonical(
            String kind,
            String provider,
            String apiBase,
            @Nullable String apiVersion,
            Object params) {}

    /**
     * Writes a set's elements in the order of their JSON text, so that two equal sets are written alike;
     * a set that keeps an order, in which the provider reads it, in that order.
     */
    @SuppressWarnings("rawtypes")
    private static final class SetInJsonOrder extends StdSerializer<Set> {

        SetInJsonOrder() {
            super(Set.class);
        }

        @Override
        public void serialize(Set set, JsonGenerator generator, SerializationContext context) {
            List<JsonNode> elements = new ArrayList<>(set.size());
            for (Object element : set) {
                elements.add(context.valueToTree(element));
            }
            if (!(set instanceof LinkedHashSet || set instanceof SortedSet)) {
                elements.sort(Comparator.comparing(JsonNode::toString));
            }
            generator.writeStartArray(set, elements.size());
            for (JsonNode element : elements) {
                context.writeTree(generator, element);
            }
            generator.writeEndArray();
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
