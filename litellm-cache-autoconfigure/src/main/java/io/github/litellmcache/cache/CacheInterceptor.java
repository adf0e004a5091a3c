package io.github.litellmcache.cache;

import io.github.litellmcache.callback.CallEvent;
import io.github.litellmcache.callback.CallbackDispatcher;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.completion.LlmRequest;
import io.github.litellmcache.completion.LlmResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.ProxyMethodInvocation;
import reactor.core.publisher.Mono;

/**
 * Serves the calls of a {@link CompletionService} from the cache: computes the key once per call,
 * reads the entry unless the settings or the request say otherwise, and on a miss calls the
 * provider and stores a successful, non-empty response. The blocking methods read and write on the
 * caller's thread; the {@code Mono} methods through the backend's non-blocking operations, on
 * subscription. A failing backend counts as a miss and never fails a call; remote backends are
 * wrapped in a {@link ResilientCacheBackend}, which bounds how long they may take.
 */
public final class CacheInterceptor implements MethodInterceptor {

    private final LlmCache cache;
    private final CacheKeyGenerator keyGenerator;
    private final CallbackDispatcher callbacks;
    private final Clock clock;
    private final FailureLog failures = new FailureLog();

    public CacheInterceptor(LlmCache cache, CacheKeyGenerator keyGenerator, CallbackDispatcher callbacks, Clock clock) {
        this.cache = cache;
        this.keyGenerator = keyGenerator;
        this.callbacks = callbacks;
        this.clock = clock;
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        Object[] args = invocation.getArguments();
        String method = invocation.getMethod().getName();
        if (args.length == 2 && invocation instanceof ProxyMethodInvocation proxied) {
            return viaRequest((CompletionService) proxied.getProxy(), method, args);
        }
        if (args.length != 1 || !(args[0] instanceof LlmRequest request)) {
            return invocation.proceed();
        }
        return switch (method) {
            case "completion" -> callBlocking(CallType.COMPLETION, request, invocation);
            case "embedding" -> callBlocking(CallType.EMBEDDING, request, invocation);
            case "acompletion" -> callReactive(CallType.ACOMPLETION, request, invocation);
            case "aembedding" -> callReactive(CallType.AEMBEDDING, request, invocation);
            default -> invocation.proceed();
        };
    }

    /** The convenience overloads, sent back through the proxy as requests so that they are cached. */
    @SuppressWarnings("unchecked")
    private static Object viaRequest(CompletionService proxy, String method, Object[] args) {
        String model = (String) args[0];
        if (method.equals("completion")) {
            return proxy.completion(ChatCompletionRequest.of(model, (List<ChatMessage>) args[1]));
        }
        return proxy.embedding(EmbeddingRequest.builder()
                .model(model)
                .input((List<String>) args[1])
                .build());
    }

    private LlmResponse callBlocking(CallType callType, LlmRequest request, MethodInvocation invocation)
            throws Throwable {
        Instant start = startTime();
        Plan plan = plan(callType, request);
        LlmResponse response;
        try {
            Lookup lookup = (plan != null) ? read(plan) : Lookup.MISS;
            response = lookup.hit();
            if (response == null) {
                LlmResponse fresh = (LlmResponse) invocation.proceed();
                if (plan != null && !lookup.failed()) {
                    write(plan, fresh);
                }
                response =
                        fresh.withCacheResult(false, (plan != null) ? plan.key().key() : null);
            }
        } catch (Throwable error) {
            report(callType, request, start, null, plan, error);
            throw error;
        }
        report(callType, request, start, response, plan, null);
        return response;
    }

    @SuppressWarnings("unchecked")
    private Mono<LlmResponse> callReactive(CallType callType, LlmRequest request, MethodInvocation invocation) {
        return Mono.defer(() -> {
            Instant start = startTime();
            Plan plan = plan(callType, request);
            Mono<LlmResponse> provider = Mono.defer(() -> {
                try {
                    return (Mono<LlmResponse>) invocation.proceed();
                } catch (Throwable error) {
                    return Mono.error(error);
                }
            });
            Mono<LlmResponse> result = (plan == null)
                    ? provider.map(fresh -> fresh.withCacheResult(false, null))
                    : readAsync(plan)
                            .flatMap(lookup -> (lookup.hit() != null)
                                    ? Mono.just(lookup.hit())
                                    : provider.flatMap(
                                            fresh -> (lookup.failed() ? Mono.<Void>empty() : writeAsync(plan, fresh))
                                                    .thenReturn(fresh.withCacheResult(
                                                            false, plan.key().key()))));
            return result.doOnSuccess(response -> report(callType, request, start, response, plan, null))
                    .doOnError(error -> report(callType, request, start, null, plan, error));
        });
    }

    /** How this call uses the cache, or null when it bypasses it. */
    private @Nullable Plan plan(CallType callType, LlmRequest request) {
        LlmCache.State state = this.cache.state();
        CacheSettings settings = state.settings();
        Boolean caching = request.caching();
        if (!state.enabled()
                || !settings.supportedCallTypes().contains(callType)
                || Boolean.FALSE.equals(caching)
                || (settings.mode() == CacheMode.DEFAULT_OFF && !Boolean.TRUE.equals(caching))) {
            return null;
        }
        CacheOptions options = request.cache();
        String namespace =
                (options != null && options.namespace() != null) ? options.namespace() : settings.namespace();
        Duration ttl = (options != null && options.ttl() != null) ? options.ttl() : settings.ttl();
        Duration sMaxAge = (options != null) ? options.sMaxAge() : null;
        boolean read = (options == null) || (!options.noCache() && !Duration.ZERO.equals(sMaxAge));
        boolean write = ((options == null) || !options.noStore()) && !Duration.ZERO.equals(ttl);
        Class<? extends LlmResponse> responseType =
                (request instanceof EmbeddingRequest) ? EmbeddingResponse.class : ChatCompletion.class;
        CacheKey key = new CacheKey(namespace, this.keyGenerator.generateKey(callType, request));
        return new Plan(state.backend(), key, read, write, ttl, sMaxAge, responseType);
    }

    private Lookup read(Plan plan) {
        if (!plan.read()) {
            return Lookup.MISS;
        }
        try {
            return Lookup.of(hit(plan, plan.backend().get(plan.key())));
        } catch (RuntimeException ex) {
            this.failures.failed(plan.backend().name(), "read", ex);
            return Lookup.FAILED;
        }
    }

    private Mono<Lookup> readAsync(Plan plan) {
        if (!plan.read()) {
            return Mono.just(Lookup.MISS);
        }
        return plan.backend()
                .getAsync(plan.key())
                .map(entry -> Lookup.of(hit(plan, entry)))
                .defaultIfEmpty(Lookup.MISS)
                .onErrorResume(error -> {
                    this.failures.failed(plan.backend().name(), "read", error);
                    return Mono.just(Lookup.FAILED);
                });
    }

    /** The entry's response marked as a hit, or null when it is missing, too old or of another kind. */
    private @Nullable LlmResponse hit(Plan plan, @Nullable CacheEntry entry) {
        if (entry == null
                || !plan.responseType().isInstance(entry.response())
                || (plan.sMaxAge() != null
                        && !entry.storedAt().plus(plan.sMaxAge()).isAfter(this.clock.instant()))) {
            return null;
        }
        return entry.response().withCacheResult(true, plan.key().key());
    }

    private void write(Plan plan, LlmResponse response) {
        if (plan.write() && response.isCacheable()) {
            try {
                plan.backend().put(plan.key(), new CacheEntry(response, this.clock.instant()), plan.ttl());
            } catch (RuntimeException ex) {
                this.failures.failed(plan.backend().name(), "write", ex);
            }
        }
    }

    private Mono<Void> writeAsync(Plan plan, LlmResponse response) {
        if (!plan.write() || !response.isCacheable()) {
            return Mono.empty();
        }
        return plan.backend()
                .putAsync(plan.key(), new CacheEntry(response, this.clock.instant()), plan.ttl())
                .onErrorResume(error -> {
                    this.failures.failed(plan.backend().name(), "write", error);
                    return Mono.empty();
                });
    }

    /** When the call started, for callbacks; null when no callback listens, to spare the clock. */
    private @Nullable Instant startTime() {
        return this.callbacks.hasCallbacks() ? this.clock.instant() : null;
    }

    private void report(
            CallType callType,
            LlmRequest request,
            @Nullable Instant start,
            @Nullable LlmResponse response,
            @Nullable Plan plan,
            @Nullable Throwable error) {
        if (start != null) {
            boolean cacheHit = (response != null) && response.cacheHit();
            String key = (plan != null) ? plan.key().key() : null;
            this.callbacks.dispatch(new CallEvent(
                    callType, request.model(), request, response, start, this.clock.instant(), cacheHit, key, error));
        }
    }

    /**
     * What a read found: a hit, a miss, or a failure of the backend, after which the call does not
     * write either, so that a slow or failing backend delays it at most once.
     */
    private record Lookup(@Nullable LlmResponse hit, boolean failed) {

        static final Lookup MISS = new Lookup(null, false);

        static final Lookup FAILED = new Lookup(null, true);

        static Lookup of(@Nullable LlmResponse hit) {
            return (hit != null) ? new Lookup(hit, false) : MISS;
        }
    }

    /** How one call uses the cache, decided once before it reads. */
    private record Plan(
            CacheBackend backend,
            CacheKey key,
            boolean read,
            boolean write,
            @Nullable Duration ttl,
            @Nullable Duration sMaxAge,
            Class<? extends LlmResponse> responseType) {}
}
