package io.github.litellmcache.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.litellmcache.cache.CacheKeyGenerator;
import io.github.litellmcache.cache.CallType;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * A cache hit of a realistic chat request (a system prompt and six alternating user and assistant
 * messages, about 2 KB of text, with temperature and max_tokens) through the injected
 * {@link CompletionService}, against (a) the same arguments through a Spring {@code @Cacheable}
 * method on a {@link CaffeineCacheManager} and (b) a raw Caffeine {@code getIfPresent} of a
 * precomputed key. The request (or the argument list) is built afresh in each invocation; the
 * message strings are built once.
 *
 * <p>The {@code *FreshText} variants also copy every message string in each invocation, as text
 * that has just been read from a socket would be: the baseline then pays for {@code String.hashCode}
 * and a full {@code equals}, which it otherwise gets for free from strings it has seen before.
 * {@link #freshTextOnly} is the cost of that copy alone.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LocalCacheHitBenchmark {

    /** Seven texts (system prompt and six messages) of about 2 KB in all. */
    static final int TURNS = 6;

    static final int TOTAL_CHARS = 2048;

    static final long SEED = 42;

    @Benchmark
    public ChatCompletion localCacheHit(LiteLlmState state) {
        return state.service.completion(Conversations.request(state.texts));
    }

    /** The part of {@link #localCacheHit} that builds the request. */
    @Benchmark
    public ChatCompletionRequest buildRequestOnly(LiteLlmState state) {
        return Conversations.request(state.texts);
    }

    /** {@link #localCacheHit} without building the request: the proxy, the interceptor and the backend. */
    @Benchmark
    public ChatCompletion localCacheHitPrebuiltRequest(LiteLlmState state) {
        return state.service.completion(state.request);
    }

    @Benchmark
    public ChatCompletion springCacheableCaffeine(SpringCacheState state) {
        return state.service.answer(
                Conversations.MODEL,
                Conversations.messages(state.texts),
                Conversations.TEMPERATURE,
                Conversations.MAX_TOKENS);
    }

    @Benchmark
    public ChatCompletion rawCaffeineGetIfPresent(RawCaffeineState state) {
        return state.cache.getIfPresent(state.key);
    }

    @Benchmark
    public ChatCompletion localCacheHitFreshText(LiteLlmState state) {
        return state.service.completion(Conversations.request(freshCopies(state.latin1)));
    }

    @Benchmark
    public ChatCompletion springCacheableFreshText(SpringCacheState state) {
        return state.service.answer(
                Conversations.MODEL,
                Conversations.messages(freshCopies(state.latin1)),
                Conversations.TEMPERATURE,
                Conversations.MAX_TOKENS);
    }

    @Benchmark
    public List<String> freshTextOnly(SpringCacheState state) {
        return freshCopies(state.latin1);
    }

    static List<String> freshCopies(byte[][] latin1) {
        List<String> texts = new ArrayList<>(latin1.length);
        for (byte[] text : latin1) {
            texts.add(new String(text, StandardCharsets.ISO_8859_1));
        }
        return texts;
    }

    static byte[][] latin1(List<String> texts) {
        return texts.stream()
                .map(text -> text.getBytes(StandardCharsets.ISO_8859_1))
                .toArray(byte[][]::new);
    }

    /** The library's own context: auto-configuration, the mock provider and the local cache. */
    @State(Scope.Benchmark)
    public static class LiteLlmState {

        List<String> texts = List.of();

        byte[][] latin1 = new byte[0][];

        ConfigurableApplicationContext context;

        CompletionService service;

        ChatCompletionRequest request;

        @Setup(Level.Trial)
        public void start() {
            this.texts = Conversations.texts(TURNS, TOTAL_CHARS, SEED);
            this.latin1 = latin1(this.texts);
            this.request = Conversations.request(this.texts);
            this.context = LiteLlmApplication.onMockProvider("litellm.mock.latency=0ms");
            this.service = this.context.getBean(CompletionService.class);
            ChatCompletion first = this.service.completion(Conversations.request(this.texts));
            ChatCompletion second = this.service.completion(Conversations.request(this.texts));
            if (first.cacheHit() || !second.cacheHit()) {
                throw new IllegalStateException("the second call must be a cache hit, got first.cacheHit="
                        + first.cacheHit() + ", second.cacheHit=" + second.cacheHit());
            }
            ChatCompletion fresh = this.service.completion(Conversations.request(freshCopies(this.latin1)));
            if (!fresh.cacheHit() || !fresh.id().equals(first.id())) {
                throw new IllegalStateException("a request with copied text must hit the same entry");
            }
            System.out.printf(
                    "[setup] local cache: %d chars of message text, service %s%n",
                    Conversations.length(this.texts), this.service.getClass().getName());
        }

        @TearDown(Level.Trial)
        public void stop() {
            this.context.close();
        }
    }

    /** The baseline's context: {@code @EnableCaching}, a {@link CaffeineCacheManager} and {@link AnswerService}. */
    @State(Scope.Benchmark)
    public static class SpringCacheState {

        List<String> texts = List.of();

        byte[][] latin1 = new byte[0][];

        ConfigurableApplicationContext context;

        AnswerService service;

        @Setup(Level.Trial)
        public void start() {
            this.texts = Conversations.texts(TURNS, TOTAL_CHARS, SEED);
            this.latin1 = latin1(this.texts);
            this.context = new SpringApplicationBuilder(SpringCacheApplication.class)
                    .web(WebApplicationType.NONE)
                    .properties("spring.main.banner-mode=off", "logging.level.root=warn")
                    .run();
            this.service = this.context.getBean(AnswerService.class);
            ChatCompletion first = call(this.texts);
            ChatCompletion second = call(this.texts);
            ChatCompletion fresh = call(freshCopies(this.latin1));
            if (second != first || fresh != first || this.service.calls() != 1) {
                throw new IllegalStateException(
                        "the @Cacheable method must run once and then hit, ran " + this.service.calls() + " times");
            }
        }

        private ChatCompletion call(List<String> texts) {
            return this.service.answer(
                    Conversations.MODEL,
                    Conversations.messages(texts),
                    Conversations.TEMPERATURE,
                    Conversations.MAX_TOKENS);
        }

        @TearDown(Level.Trial)
        public void stop() {
            this.context.close();
        }
    }

    /** A Caffeine cache holding one completion under its precomputed 64-character key. */
    @State(Scope.Benchmark)
    public static class RawCaffeineState {

        Cache<String, ChatCompletion> cache;

        String key;

        @Setup(Level.Trial)
        public void start() {
            List<String> texts = Conversations.texts(TURNS, TOTAL_CHARS, SEED);
            ChatCompletionRequest request = Conversations.request(texts);
            CacheKeyGenerator keys = KeyGenerationBenchmark.defaultKeyGenerator();
            this.key = keys.generateKey(CallType.COMPLETION, request);
            this.cache = Caffeine.newBuilder().maximumSize(10_000).build();
            this.cache.put(this.key, new AnswerService().answer(Conversations.MODEL, request.messages(), 0.2, 256));
            if (this.cache.getIfPresent(this.key) == null) {
                throw new IllegalStateException("the raw Caffeine cache must hold the key");
            }
        }
    }

    /** The application of the library's benchmark: nothing but auto-configuration. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class LiteLlmApplication {

        /** The application on the built-in mock provider and the local cache, with {@code properties} besides. */
        static ConfigurableApplicationContext onMockProvider(String... properties) {
            return new SpringApplicationBuilder(LiteLlmApplication.class)
                    .web(WebApplicationType.NONE)
                    .properties(
                            "litellm.mock.enabled=true",
                            "litellm.cache.type=local",
                            "spring.main.banner-mode=off",
                            "logging.level.root=warn")
                    .properties(properties)
                    .run();
        }
    }

    /** The baseline application: Spring's cache abstraction on Caffeine, without auto-configuration. */
    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    @Import(AnswerService.class)
    static class SpringCacheApplication {

        @Bean
        CaffeineCacheManager cacheManager() {
            return new CaffeineCacheManager(AnswerService.CACHE);
        }
    }
}
