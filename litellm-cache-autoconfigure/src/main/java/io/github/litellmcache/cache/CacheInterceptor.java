package io.github.litellmcache.cache;

import io.github.litellmcache.callback.CallbackDispatcher;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.ChatCompletionChunks;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.EmbeddingResponse;
import io.github.litellmcache.completion.LlmRequest;
import io.github.litellmcache.completion.LlmResponse;
import io.micrometer.observation.ObservationRegistry;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Function;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.ProxyMethodInvocation;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Serves the calls of a {@link CompletionService} from the cache. Each call computes its key once,
 * reads the entry unless the settings or the request say otherwise, and on a miss calls the
 * provider and stores a successful, non-empty response. Concurrent identical misses make one
 * provider request ({@link Flights}); embeddings are cached item by item ({@link EmbeddingItems});
 * streams are stored with their chunks and replayed chunk for chunk. The blocking methods use the
 * backend on the caller's thread, the {@code Mono} and {@code Flux} methods its non-blocking
 * operations, on subscription. A failing backend counts as a miss and never fails a call
 * ({@link BackendAccess}).
 */
public final class CacheInterceptor implements MethodInterceptor {

    /** Set while this thread calls the provider of a cached call. */
    private static final ThreadLocal<Boolean> NESTED = new ThreadLocal<>();

    /** In the Reactor context of a cached call's provider. */
    private static final String NESTED_KEY = CacheInterceptor.class.getName() + ".nested";

    private static final Function<Context, Context> NESTED_CONTEXT = context -> context.put(NESTED_KEY, true);

    private final LlmCache cache;
    private final CacheKeyGenerator keyGenerator;
    private final CallMonitor monitor;
    private final BackendAccess access;
    private final Clock clock;
    private final Flights flights = new Flights();

    /**
     * @param cache the settings and backend, read once per call
     * @param keyGenerator computes each call's key
     * @param callbacks told about every call
     * @param recorders told what the cache did, for statistics and metrics
     * @param observations where each call's {@code litellm.completion} observation goes
     * @param clock the time of entries and events
     */
    public CacheInterceptor(
            LlmCache cache,
            CacheKeyGenerator keyGenerator,
            CallbackDispatcher callbacks,
            List<CacheRecorder> recorders,
            ObservationRegistry observations,
            Clock clock) {
        this.cache = cache;
        this.keyGenerator = keyGenerator;
        this.monitor = new CallMonitor(callbacks, recorders, observations, clock);
        this.access = new BackendAccess(this.monitor, clock);
        this.clock = clock;
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        Object[] args = invocation.getArguments();
        String method = invocation.getMethod().getName();
        if (args.length == 2
                && isConvenienceOverload(invocation.getMethod())
                && invocation instanceof ProxyMethodInvocation proxied) {
            return viaRequest((CompletionService) proxied.getProxy(), method, args);
        }
        if (args.length != 1 || !(args[0] instanceof LlmRequest request)) {
            return invocation.proceed();
        }
        return switch (method) {
            case "completion" -> blocking(CallType.COMPLETION, request, invocation);
            case "embedding" -> blocking(CallType.EMBEDDING, request, invocation);
            case "acompletion" -> reactive(CallType.ACOMPLETION, request, invocation);
            case "aembedding" -> reactive(CallType.AEMBEDDING, request, invocation);
            case "streamCompletion" -> stream((ChatCompletionRequest) request, invocation);
            default -> invocation.proceed();
        };
    }

    /** {@code completion(String, List)} or {@code embedding(String, List)} of {@link CompletionService}. */
    private static boolean isConvenienceOverload(Method method) {
        Class<?>[] types = method.getParameterTypes();
        return (method.getName().equals("completion") || method.getName().equals("embedding"))
                && types.length == 2
                && types[0] == String.class
                && types[1] == List.class;
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

    // ---- blocking calls

    private Object blocking(CallType callType, LlmRequest request, MethodInvocation invocation) throws Throwable {
        if (NESTED.get() != null) {
            return invocation.proceed();
        }
        CallMonitor.Call call = this.monitor.begin(callType, request);
        CachePlan plan = null;
        LlmResponse response;
        try {
            plan = plan(callType, request);
            response = (plan != null)
                    ? blockingWithCache(plan, request, invocation)
                    : ((LlmResponse) proceed(invocation, request)).withCacheResult(false, null);
        } catch (Throwable error) {
            report(call, null, plan, error);
            throw error;
        }
        report(call, response, plan, null);
        return response;
    }

    private LlmResponse blockingWithCache(CachePlan plan, LlmRequest request, MethodInvocation invocation)
            throws Throwable {
        Lookup lookup = (request instanceof EmbeddingRequest) ? Lookup.MISS : this.access.read(plan);
        if (lookup.entry() != null) {
            return answered(plan, lookup.entry(), true);
        }
        if (!plan.read()) {
            return answered(plan, resolve(plan, request, invocation, lookup.failed()));
        }
        Flights.Ticket ticket = this.flights.board(plan.backend(), plan.key());
        if (!ticket.leads()) {
            Flights.Answer answer = ticket.await(request.timeout());
            return (answer != null)
                    ? answered(plan, answer.entry(), true)
                    : answered(plan, resolve(plan, request, invocation, lookup.failed()));
        }
        try {
            Lookup again = (lookup.failed() || request instanceof EmbeddingRequest) ? lookup : this.access.read(plan);
            Flights.Answer answer = (again.entry() != null)
                    ? new Flights.Answer(again.entry(), true)
                    : resolve(plan, request, invocation, lookup.failed());
            ticket.land(answer);
            return answered(plan, answer);
        } catch (Throwable error) {
            ticket.crash(error);
            throw error;
        }
    }

    /** The answer from the provider (for embeddings, for the items the cache lacks), stored. */
    private Flights.Answer resolve(CachePlan plan, LlmRequest request, MethodInvocation invocation, boolean readFailed)
            throws Throwable {
        if (request instanceof EmbeddingRequest embeddings) {
            return resolveItems(plan, embeddings, invocation);
        }
        CacheEntry entry = new CacheEntry((LlmResponse) proceed(invocation, request), this.clock.instant());
        if (!readFailed) {
            this.access.write(plan, entry);
        }
        return new Flights.Answer(entry, false);
    }

    private Flights.Answer resolveItems(CachePlan plan, EmbeddingRequest request, MethodInvocation invocation)
            throws Throwable {
        EmbeddingItems items = items(plan, request);
        Lookup.Items found = this.access.readItems(plan, items.keys());
        List<String> missing = items.missing(found.hits());
        EmbeddingResponse fresh = null;
        if (!missing.isEmpty()) {
            fresh = (EmbeddingResponse) proceed(invocation, items.requestFor(missing));
            if (!found.failed() && fresh.isCacheable()) {
                this.access.writeItems(plan, items.entries(missing, fresh, this.clock.instant()));
            }
        }
        CacheEntry assembled = new CacheEntry(items.assemble(found.hits(), missing, fresh), this.clock.instant());
        return new Flights.Answer(assembled, missing.isEmpty());
    }

    // ---- reactive calls

    @SuppressWarnings("unchecked")
    private Mono<LlmResponse> reactive(CallType callType, LlmRequest request, MethodInvocation invocation) {
        return Mono.deferContextual(context -> {
            if (isNested(context)) {
                return (Mono<LlmResponse>) proceedLazily(invocation, request);
            }
            CallMonitor.Call call = this.monitor.begin(callType, request);
            CachePlan plan;
            try {
                plan = plan(callType, request);
            } catch (RuntimeException error) {
                report(call, null, null, error);
                return Mono.error(error);
            }
            Mono<LlmResponse> result = (plan != null)
                    ? reactiveWithCache(plan, request, invocation)
                    : ((Mono<LlmResponse>) proceedLazily(invocation, request))
                            .map(fresh -> fresh.withCacheResult(false, null));
            return result.doOnSuccess(response -> report(call, response, plan, null))
                    .doOnError(error -> report(call, null, plan, error))
                    .doOnCancel(() -> report(call, null, plan, new CancellationException("the caller cancelled")));
        });
    }

    private Mono<LlmResponse> reactiveWithCache(CachePlan plan, LlmRequest request, MethodInvocation invocation) {
        Mono<Lookup> firstRead =
                (request instanceof EmbeddingRequest) ? Mono.just(Lookup.MISS) : this.access.readAsync(plan);
        return firstRead.flatMap(lookup -> {
            if (lookup.entry() != null) {
                return Mono.just(answered(plan, lookup.entry(), true));
            }
            if (!plan.read()) {
                return resolveAsync(plan, request, invocation, lookup.failed()).map(answer -> answered(plan, answer));
            }
            Flights.Ticket ticket = this.flights.board(plan.backend(), plan.key());
            if (!ticket.leads()) {
                return ticket.answer(request.timeout())
                        .map(answer -> answered(plan, answer.entry(), true))
                        .switchIfEmpty(Mono.defer(() -> resolveAsync(plan, request, invocation, lookup.failed())
                                .map(answer -> answered(plan, answer))));
            }
            Mono<Lookup> again = (lookup.failed() || request instanceof EmbeddingRequest)
                    ? Mono.just(lookup)
                    : this.access.readAsync(plan);
            again.flatMap(second -> (second.entry() != null)
                            ? Mono.just(new Flights.Answer(second.entry(), true))
                            : resolveAsync(plan, request, invocation, lookup.failed()))
                    .switchIfEmpty(Mono.error(() -> new IllegalStateException("the provider answered nothing")))
                    .subscribe(ticket::land, ticket::crash);
            return ticket.answer(request.timeout()).map(answer -> answered(plan, answer));
        });
    }

    @SuppressWarnings("unchecked")
    private Mono<Flights.Answer> resolveAsync(
            CachePlan plan, LlmRequest request, MethodInvocation invocation, boolean readFailed) {
        if (request instanceof EmbeddingRequest embeddings) {
            return resolveItemsAsync(plan, embeddings, invocation);
        }
        return ((Mono<LlmResponse>) proceedLazily(invocation, request)).flatMap(fresh -> {
            CacheEntry entry = new CacheEntry(fresh, this.clock.instant());
            Mono<Void> write = readFailed ? Mono.empty() : this.access.writeAsync(plan, entry);
            return write.thenReturn(new Flights.Answer(entry, false));
        });
    }

    @SuppressWarnings("unchecked")
    private Mono<Flights.Answer> resolveItemsAsync(
            CachePlan plan, EmbeddingRequest request, MethodInvocation invocation) {
        EmbeddingItems items = items(plan, request);
        return this.access.readItemsAsync(plan, items.keys()).flatMap(found -> {
            List<String> missing = items.missing(found.hits());
            if (missing.isEmpty()) {
                CacheEntry assembled =
                        new CacheEntry(items.assemble(found.hits(), missing, null), this.clock.instant());
                return Mono.just(new Flights.Answer(assembled, true));
            }
            return ((Mono<EmbeddingResponse>) proceedLazily(invocation, items.requestFor(missing))).flatMap(fresh -> {
                Mono<Void> write = (found.failed() || !fresh.isCacheable())
                        ? Mono.empty()
                        : this.access.writeItemsAsync(plan, items.entries(missing, fresh, this.clock.instant()));
                CacheEntry assembled =
                        new CacheEntry(items.assemble(found.hits(), missing, fresh), this.clock.instant());
                return write.thenReturn(new Flights.Answer(assembled, false));
            });
        });
    }

    // ---- streams

    @SuppressWarnings("unchecked")
    private Flux<ChatCompletionChunk> stream(ChatCompletionRequest request, MethodInvocation invocation) {
        return Flux.deferContextual(context -> {
            Flux<ChatCompletionChunk> provider =
                    Flux.defer(() -> (Flux<ChatCompletionChunk>) proceedLazily(invocation, request));
            if (isNested(context)) {
                return provider;
            }
            CallMonitor.Call call = this.monitor.begin(CallType.ACOMPLETION, request);
            CachePlan plan;
            try {
                plan = plan(CallType.ACOMPLETION, request);
            } catch (RuntimeException error) {
                report(call, null, null, error);
                return Flux.error(error);
            }
            Flux<ChatCompletionChunk> stream = (plan == null)
                    ? recorded(
                                    provider,
                                    null,
                                    chunks -> Mono.fromRunnable(() -> report(
                                            call,
                                            chunks.isEmpty() ? null : ChatCompletionChunks.assemble(chunks),
                                            null,
                                            null)))
                            .doOnError(error -> report(call, null, null, error))
                    : this.access
                            .readAsync(plan)
                            .flatMapMany(lookup -> streamWithCache(plan, request, call, provider, lookup));
            return stream.doOnCancel(() -> report(call, null, plan, new CancellationException("the caller cancelled")));
        });
    }

    private Flux<ChatCompletionChunk> streamWithCache(
            CachePlan plan,
            ChatCompletionRequest request,
            CallMonitor.Call call,
            Flux<ChatCompletionChunk> provider,
            Lookup lookup) {
        if (lookup.entry() != null && canReplay(lookup.entry())) {
            return replay(plan, call, lookup.entry());
        }
        Flights.Ticket ticket = plan.read() ? this.flights.board(plan.backend(), plan.key()) : null;
        if (ticket != null && !ticket.leads()) {
            return ticket.answer(request.timeout())
                    .filter(answer -> canReplay(answer.entry()))
                    .flatMapMany(answer -> replay(plan, call, answer.entry()))
                    .switchIfEmpty(Flux.defer(() -> storedStream(plan, call, provider, lookup.failed(), null)));
        }
        return storedStream(plan, call, provider, lookup.failed(), ticket);
    }

    /** The provider's stream, passed on chunk by chunk; when it completes, stored with its chunks. */
    private Flux<ChatCompletionChunk> storedStream(
            CachePlan plan,
            CallMonitor.Call call,
            Flux<ChatCompletionChunk> provider,
            boolean readFailed,
            Flights.@Nullable Ticket ticket) {
        return recorded(provider, ticket, chunks -> {
                    if (!ChatCompletionChunks.isComplete(chunks)) {
                        if (ticket != null) {
                            ticket.crash(new CancellationException("the stream cannot be stored"));
                        }
                        report(
                                call,
                                chunks.isEmpty() ? null : answered(plan, ChatCompletionChunks.assemble(chunks)),
                                plan,
                                null);
                        return Mono.empty();
                    }
                    CacheEntry entry =
                            new CacheEntry(ChatCompletionChunks.assemble(chunks), this.clock.instant(), chunks);
                    Mono<Void> write = readFailed ? Mono.empty() : this.access.writeAsync(plan, entry);
                    return write.then(Mono.fromRunnable(() -> {
                        if (ticket != null) {
                            ticket.land(new Flights.Answer(entry, false));
                        }
                        report(call, answered(plan, entry, false), plan, null);
                    }));
                })
                .doOnError(error -> report(call, null, plan, error));
    }

    /**
     * {@code chunks} passed on as they arrive and recorded; {@code onComplete} gets them all once the
     * stream completed normally. A stream that fails or is cancelled stores nothing and sends the
     * flight's other callers on their own.
     */
    private static Flux<ChatCompletionChunk> recorded(
            Flux<ChatCompletionChunk> chunks,
            Flights.@Nullable Ticket ticket,
            Function<List<ChatCompletionChunk>, Mono<Void>> onComplete) {
        List<ChatCompletionChunk> seen = new ArrayList<>();
        return chunks.doOnNext(seen::add)
                .concatWith(
                        Mono.defer(() -> onComplete.apply(List.copyOf(seen))).then(Mono.empty()))
                .doOnError(error -> {
                    if (ticket != null) {
                        ticket.crash(error);
                    }
                })
                .doOnCancel(() -> {
                    if (ticket != null) {
                        ticket.crash(new CancellationException("the stream was cancelled"));
                    }
                });
    }

    /**
     * Whether a stored entry can answer a stream: it holds its own chunks, or a completion without
     * tool calls, which splits into chunks without loss.
     */
    private static boolean canReplay(CacheEntry entry) {
        return entry.chunks() != null
                || (entry.response() instanceof ChatCompletion completion
                        && completion.choices().stream()
                                .allMatch(choice -> choice.message().toolCalls() == null));
    }

    /** A stored answer as a stream: its own chunks, or the completion split into chunks. */
    private Flux<ChatCompletionChunk> replay(CachePlan plan, CallMonitor.Call call, CacheEntry entry) {
        List<ChatCompletionChunk> chunks = (entry.chunks() != null)
                ? entry.chunks()
                : ChatCompletionChunks.split((ChatCompletion) entry.response());
        return Flux.fromIterable(chunks)
                .map(chunk -> chunk.withCacheHit(true))
                .doOnComplete(() -> report(call, answered(plan, entry, true), plan, null));
    }

    // ---- shared

    /** How this call uses the cache, or null when it bypasses it. */
    private @Nullable CachePlan plan(CallType callType, LlmRequest request) {
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
        return new CachePlan(callType, state.backend(), key, read, write, ttl, sMaxAge, responseType);
    }

    private EmbeddingItems items(CachePlan plan, EmbeddingRequest request) {
        return new EmbeddingItems(request, plan.key().namespace(), plan.callType(), this.keyGenerator);
    }

    private static LlmResponse answered(CachePlan plan, Flights.Answer answer) {
        return answered(plan, answer.entry(), answer.fromCache());
    }

    private static LlmResponse answered(CachePlan plan, ChatCompletion fresh) {
        return fresh.withCacheResult(false, plan.key().key());
    }

    /** The entry's response, marked with the cache's outcome. */
    private static LlmResponse answered(CachePlan plan, CacheEntry entry, boolean fromCache) {
        return entry.response().withCacheResult(fromCache, plan.key().key());
    }

    private static void report(
            CallMonitor.Call call,
            @Nullable LlmResponse response,
            @Nullable CachePlan plan,
            @Nullable Throwable error) {
        call.end(
                (plan != null) ? plan.backend() : null,
                (plan != null) ? plan.key().key() : null,
                response,
                error);
    }

    /**
     * Calls the provider with {@code request}, marking the thread so that a {@code CompletionService}
     * it calls in turn (a decorator around another one) is not cached again, which could make a call
     * wait for itself.
     */
    private static Object proceed(MethodInvocation invocation, LlmRequest request) throws Throwable {
        boolean outer = NESTED.get() == null;
        NESTED.set(Boolean.TRUE);
        try {
            return invocable(invocation, request).proceed();
        } finally {
            if (outer) {
                NESTED.remove();
            }
        }
    }

    /**
     * The provider's {@code Mono} or {@code Flux} for {@code request}, from a copy of the invocation
     * made at subscription, with the Reactor context marked as nested for the same reason as
     * {@link #proceed}.
     */
    private static Object proceedLazily(MethodInvocation invocation, LlmRequest request) {
        Object publisher;
        try {
            publisher = proceed(invocation, request);
        } catch (Throwable error) {
            return invocation.getMethod().getReturnType() == Flux.class ? Flux.error(error) : Mono.error(error);
        }
        if (publisher instanceof Mono<?> mono) {
            return mono.contextWrite(NESTED_CONTEXT);
        }
        return (publisher instanceof Flux<?> flux) ? flux.contextWrite(NESTED_CONTEXT) : publisher;
    }

    private static MethodInvocation invocable(MethodInvocation invocation, LlmRequest request) {
        return (invocation instanceof ProxyMethodInvocation proxied) ? proxied.invocableClone(request) : invocation;
    }

    private static boolean isNested(ContextView context) {
        return NESTED.get() != null || context.hasKey(NESTED_KEY);
    }
}
