package io.github.litellmcache.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.litellmcache.cache.CacheBackend;
import io.github.litellmcache.cache.CacheInterceptor;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.CacheKeyGenerator;
import io.github.litellmcache.cache.CallType;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.LlmRequest;
import io.github.litellmcache.completion.LlmResponse;
import java.io.OutputStream;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Method;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sub-steps of {@link LocalCacheHitBenchmark#localCacheHit}, each alone, on the same 2 KB
 * request and the same application context: building the request, the key (and its two halves,
 * canonical JSON and SHA-256), the advisor's lookup of the interceptor, the interceptor without the
 * proxy, the Caffeine read of the local backend and marking the response as a hit. Not a target of
 * its own: it says where the time of a hit goes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class HitPathBreakdownBenchmark {

    private static final HexFormat HEX = HexFormat.of();

    private List<String> texts = List.of();

    private ConfigurableApplicationContext context;

    private CompletionService service;

    private ObjectProvider<CacheInterceptor> interceptorProvider;

    private CacheInterceptor interceptor;

    private CacheKeyGenerator keyGenerator;

    private CacheBackend backend;

    private Method completion;

    private ChatCompletionRequest request;

    private String key;

    private ChatCompletion stored;

    /** The same canonical JSON as the default key generator, to time it apart from the digest. */
    private JsonMapper canonicalJson;

    private Map<String, Object> canonical;

    private byte[] canonicalBytes;

    private MessageDigest sha256;

    private byte[][] latin1 = new byte[0][];

    private LengthPrefixedDigest lengthPrefixed;

    /** A prototype near-cache for the local backend: request structure to the stored response and its key. */
    private Cache<StructuralKey, Stored> structural;

    @Setup(Level.Trial)
    public void setUp() throws Throwable {
        this.texts = Conversations.texts(
                LocalCacheHitBenchmark.TURNS, LocalCacheHitBenchmark.TOTAL_CHARS, LocalCacheHitBenchmark.SEED);
        this.context = new SpringApplicationBuilder(LocalCacheHitBenchmark.LiteLlmApplication.class)
                .web(WebApplicationType.NONE)
                .properties(
                        "litellm.mock.enabled=true",
                        "litellm.mock.latency=0ms",
                        "litellm.cache.type=local",
                        "spring.main.banner-mode=off",
                        "logging.level.root=warn")
                .run();
        this.service = this.context.getBean(CompletionService.class);
        this.interceptorProvider = this.context.getBeanProvider(CacheInterceptor.class);
        this.interceptor = this.interceptorProvider.getObject();
        this.keyGenerator = this.context.getBean(CacheKeyGenerator.class);
        this.backend = this.context.getBean(LlmCache.class).backend();
        this.completion = CompletionService.class.getMethod("completion", ChatCompletionRequest.class);
        this.request = Conversations.request(this.texts);

        this.service.completion(this.request);
        ChatCompletion hit = this.service.completion(Conversations.request(this.texts));
        ChatCompletion direct = (ChatCompletion) this.interceptor.invoke(new Invocation(this.completion, this.request));
        if (!hit.cacheHit() || direct == null || !direct.cacheHit()) {
            throw new IllegalStateException("the proxied and the direct call must both be cache hits");
        }
        this.key = this.keyGenerator.generateKey(CallType.COMPLETION, this.request);
        var entry = this.backend.get(new CacheKey(null, this.key));
        if (entry == null) {
            throw new IllegalStateException("the backend must hold the entry");
        }
        this.stored = (ChatCompletion) entry.response();

        this.canonicalJson = JsonMapper.builder()
                .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .build();
        this.canonical = canonicalForm(this.request);
        this.canonicalBytes = this.canonicalJson.writeValueAsBytes(this.canonical);
        this.sha256 = MessageDigest.getInstance("SHA-256");
        String recomputed = HEX.formatHex(((MessageDigest) this.sha256.clone()).digest(this.canonicalBytes));
        if (!recomputed.equals(this.key)) {
            throw new IllegalStateException("the re-implemented canonical form must give the generator's key");
        }
        this.latin1 = LocalCacheHitBenchmark.latin1(this.texts);
        this.lengthPrefixed = new LengthPrefixedDigest();
        this.structural = Caffeine.newBuilder().maximumSize(10_000).build();
        this.structural.put(StructuralKey.of(this.request), new Stored(this.stored, this.key));
        ChatCompletion near = prototypeStructuralHitFreshText();
        if (near == null || !near.cacheHit() || !near.id().equals(hit.id())) {
            throw new IllegalStateException("the structural near-cache must hit for a request built afresh");
        }
        System.out.printf("[setup] canonical JSON of the 2 KB request: %d bytes%n", this.canonicalBytes.length);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        this.context.close();
    }

    /** The whole hit, as in {@link LocalCacheHitBenchmark#localCacheHit}, for reference in this run. */
    @Benchmark
    public ChatCompletion proxiedHit() {
        return this.service.completion(Conversations.request(this.texts));
    }

    /** The whole hit without building the request. */
    @Benchmark
    public ChatCompletion proxiedHitPrebuiltRequest() {
        return this.service.completion(this.request);
    }

    /** The interceptor called directly: the hit without the AOP proxy and the advisor's lazy lookup. */
    @Benchmark
    public @Nullable Object interceptorDirectPrebuiltRequest() throws Throwable {
        return this.interceptor.invoke(new Invocation(this.completion, this.request));
    }

    /** What the advisor does on every call: {@code ObjectProvider<CacheInterceptor>.getObject()}. */
    @Benchmark
    public CacheInterceptor advisorInterceptorLookup() {
        return this.interceptorProvider.getObject();
    }

    @Benchmark
    public ChatCompletionRequest buildRequest() {
        return Conversations.request(this.texts);
    }

    @Benchmark
    public String generateKey() {
        return this.keyGenerator.generateKey(CallType.COMPLETION, this.request);
    }

    /** The first half of the key: the canonical map and its JSON, written to nowhere. */
    @Benchmark
    public OutputStream keyCanonicalJsonOnly() {
        OutputStream sink = OutputStream.nullOutputStream();
        this.canonicalJson.writeValue(sink, canonicalForm(this.request));
        return sink;
    }

    /** The second half of the key: SHA-256 of the canonical JSON and its hex form. */
    @Benchmark
    public String keySha256HexOnly() throws CloneNotSupportedException {
        MessageDigest digest = (MessageDigest) this.sha256.clone();
        return HEX.formatHex(digest.digest(this.canonicalBytes));
    }

    /** The read of the local backend (Caffeine with per-entry expiry) under a fresh {@link CacheKey}. */
    @Benchmark
    public Object backendGet() {
        return this.backend.get(new CacheKey(null, this.key));
    }

    /** Marking the stored response as a hit: a copy of the record with {@code cacheHit} and the key. */
    @Benchmark
    public LlmResponse markHit() {
        return this.stored.withCacheResult(true, this.key);
    }

    /**
     * Prototype: the same key without JSON, a length-prefixed form fed straight into SHA-256 (see
     * {@link LengthPrefixedDigest}); compare with {@link #generateKey}.
     */
    @Benchmark
    public String prototypeLengthPrefixedKey() {
        return this.lengthPrefixed.key(
                "chat", "openai", "https://api.openai.com/v1", this.request.model(), this.request.params());
    }

    /**
     * Prototype: a local hit without any digest. A near-cache keyed by the request's structure
     * (route and {@code params()}, compared by {@code equals}/{@code hashCode} as Spring's
     * {@code SimpleKey} does) holds the response and its SHA-256 key, which is only computed on a
     * miss. Request built afresh, as in {@link #proxiedHit}; no proxy.
     */
    @Benchmark
    public @Nullable ChatCompletion prototypeStructuralHit() {
        return structuralHit(Conversations.request(this.texts));
    }

    /** {@link #prototypeStructuralHit} with message strings copied, so that their hash codes are computed. */
    @Benchmark
    public @Nullable ChatCompletion prototypeStructuralHitFreshText() {
        return structuralHit(Conversations.request(LocalCacheHitBenchmark.freshCopies(this.latin1)));
    }

    private @Nullable ChatCompletion structuralHit(ChatCompletionRequest fresh) {
        Stored found = this.structural.getIfPresent(StructuralKey.of(fresh));
        return (found != null) ? found.response().withCacheResult(true, found.key()) : null;
    }

    private static Map<String, Object> canonicalForm(LlmRequest request) {
        Map<String, Object> params = new LinkedHashMap<>(request.params());
        params.put("model", request.model());
        Map<String, Object> canonical = new LinkedHashMap<>(4);
        canonical.put("kind", "chat");
        canonical.put("provider", "openai");
        canonical.put("api_base", "https://api.openai.com/v1");
        canonical.put("params", params);
        return canonical;
    }

    /** What the prototype near-cache is keyed by: the parts of the default key, compared structurally. */
    private record StructuralKey(String kind, String provider, String apiBase, Map<String, Object> params) {

        static StructuralKey of(LlmRequest request) {
            return new StructuralKey("chat", "openai", "https://api.openai.com/v1", request.params());
        }
    }

    private record Stored(ChatCompletion response, String key) {}

    /** A call of {@code completion(request)} as the proxy would hand it to the interceptor. */
    private record Invocation(Method method, ChatCompletionRequest request) implements MethodInvocation {

        @Override
        public Method getMethod() {
            return this.method;
        }

        @Override
        public Object[] getArguments() {
            return new Object[] {this.request};
        }

        @Override
        public @Nullable Object proceed() {
            throw new IllegalStateException("a cache hit must not reach the provider");
        }

        @Override
        public @Nullable Object getThis() {
            return null;
        }

        @Override
        public AccessibleObject getStaticPart() {
            return this.method;
        }
    }
}
