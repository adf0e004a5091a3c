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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Function;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.ProxyMethodInvocation;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Serves the calls of a {@link CompletionService} from the cache. Each call computes its key once,
 * reads the entry unless the settings or the request say otherwise, and on a miss calls the
 * provider and stores a successful, non-empty response. Concurrent identical misses make one
 * provider request ({@link Flights}); embeddings are cached item by item ({@link EmbeddingItems});
 * streams are stored with their chunks and replayed chunk for chunk. The blocking methods use the
 * backend on the caller's thread, the {@code Mono} and {@code Flux} methods its non-blocking
 * operations, on subscription. A failing backend counts as a miss and never fails a call; after a
 * failed read the call does not write either.
 */
public final class CacheInterceptor implements MethodInterceptor {

    private static final String READ = "read";

    private static final String WRITE = "write";

    private final LlmCache cache;
    private final CacheKeyGenerator keyGenerator;
    private final CallMonitor monitor;
    private final Clock clock;
    private final FailureLog failures = new FailureLog();
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
            case "completion" -> blocking(CallType.COMPLETION, request, invocation);
            case "embedding" -> blocking(CallType.EMBEDDING, request, invocation);
            case "acompletion" -> reactive(CallType.ACOMPLETION, request, invocation);
            case "aembedding" -> reactive(CallType.AEMBEDDING, request, invocation);
            case "streamCompletion" -> stream((ChatCompletionRequest) request, invocation);
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

    // ---- blocking calls

    private LlmResponse blocking(CallType callType, LlmRequest request, MethodInvocation invocation) throws Throwable {
        CallMonitor.Call call = this.monitor.begin(callType, request);
        Plan plan = plan(callType, request);
        LlmResponse response;
        try {
            response = (plan != null)
                    ? blockingWithCache(plan, request, invocation)
                    : ((LlmResponse) invocation.proceed()).withCacheResult(false, null);
        } catch (Throwable error) {
            report(call, null, plan, error);
            throw error;
        }
        report(call, response, plan, null);
        return response;
    }

    private LlmResponse blockingWithCache(Plan plan, LlmRequest request, MethodInvocation invocation) throws Throwable {
        Lookup lookup = Lookup.MISS;
        if (!(request instanceof EmbeddingRequest)) {
            lookup = read(plan);
            if (lookup.entry() != null) {
                return answered(plan, new Flights.Answer(lookup.entry(), true));
            }
        }
        if (!plan.read()) {
            return answered(plan, resolve(plan, request, invocation, lookup.failed()));
        }
        Flights.Ticket ticket = this.flights.board(plan.backend(), plan.key());
        if (!ticket.leads()) {
            Flights.Answer answer = ticket.await();
            return (answer != null)
                    ? answered(plan, new Flights.Answer(answer.entry(), true))
                    : answered(plan, resolve(plan, request, invocation, lookup.failed()));
        }
        try {
            Flights.Answer answer = recheckThenResolve(plan, request, invocation, lookup);
            ticket.land(answer);
            return answered(plan, answer);
        } catch (Throwable error) {
            ticket.crash(error);
            throw error;
        }
    }

    /** The leader reads once more, as the answer may have been stored since its first read. */
    private Flights.Answer recheckThenResolve(Plan plan, LlmRequest request, MethodInvocation invocation, Lookup first)
            throws Throwable {
        if (!(request instanceof EmbeddingRequest) && !first.failed()) {
            Lookup again = read(plan);
            if (again.entry() != null) {
                return new Flights.Answer(again.entry(), true);
            }
        }
        return resolve(plan, request, invocation, first.failed());
    }

    /** The answer from the provider (for embeddings, for the items the cache lacks), stored. */
    private Flights.Answer resolve(Plan plan, LlmRequest request, MethodInvocation invocation, boolean readFailed)
            throws Throwable {
        if (request instanceof EmbeddingRequest embeddings) {
            return resolveItems(plan, embeddings, invocation);
        }
        CacheEntry entry = new CacheEntry((LlmResponse) invocation.proceed(), this.clock.instant());
        if (!readFailed) {
            write(plan, entry);
        }
        return new Flights.Answer(entry, false);
    }

    private Flights.Answer resolveItems(Plan plan, EmbeddingRequest request, MethodInvocation invocation)
            throws Throwable {
        EmbeddingItems items = items(plan, request);
        Map<CacheKey, CacheEntry> found = Map.of();
        boolean readFailed = false;
        if (plan.read()) {
            long start = System.nanoTime();
            try {
                found = plan.backend().getAll(items.keys());
                this.monitor.operation(plan.backend(), READ, start, false);
            } catch (RuntimeException ex) {
                readFailed(plan, start, ex);
                readFailed = true;
            }
        }
        Map<CacheKey, EmbeddingResponse> hits = usable(plan, found);
        List<String> missing = items.missing(hits);
        EmbeddingResponse fresh = null;
        if (!missing.isEmpty()) {
            invocation.getArguments()[0] = items.requestFor(missing);
            fresh = (EmbeddingResponse) invocation.proceed();
            if (!readFailed && plan.write() && fresh.isCacheable()) {
                long start = System.nanoTime();
                try {
                    plan.backend().putAll(items.entries(missing, fresh, this.clock.instant()), plan.ttl());
                    this.monitor.operation(plan.backend(), WRITE, start, false);
                } catch (RuntimeException ex) {
                    writeFailed(plan, start, ex);
                }
            }
        }
        CacheEntry assembled = new CacheEntry(items.assemble(hits, missing, fresh), this.clock.instant());
        return new Flights.Answer(assembled, missing.isEmpty());
    }

    private Lookup read(Plan plan) {
        if (!plan.read()) {
            return Lookup.MISS;
        }
        long start = System.nanoTime();
        try {
            CacheEntry entry = plan.backend().get(plan.key());
            this.monitor.operation(plan.backend(), READ, start, false);
            return Lookup.of(usable(plan, entry));
        } catch (RuntimeException ex) {
            readFailed(plan, start, ex);
            return Lookup.FAILED;
        }
    }

    private void write(Plan plan, CacheEntry entry) {
        if (plan.write() && entry.response().isCacheable()) {
            long start = System.nanoTime();
            try {
                plan.backend().put(plan.key(), entry, plan.ttl());
                this.monitor.operation(plan.backend(), WRITE, start, false);
            } catch (RuntimeException ex) {
                writeFailed(plan, start, ex);
            }
        }
    }

    // ---- reactive calls

    @SuppressWarnings("unchecked")
    private Mono<LlmResponse> reactive(CallType callType, LlmRequest request, MethodInvocation invocation) {
        return Mono.defer(() -> {
            CallMonitor.Call call = this.monitor.begin(callType, request);
            Plan plan = plan(callType, request);
            Mono<LlmResponse> result = (plan != null)
                    ? reactiveWithCache(plan, request, invocation)
                    : ((Mono<LlmResponse>) proceed(invocation)).map(fresh -> fresh.withCacheResult(false, null));
            return result.doOnSuccess(response -> report(call, response, plan, null))
                    .doOnError(error -> report(call, null, plan, error));
        });
    }

    private Mono<LlmResponse> reactiveWithCache(Plan plan, LlmRequest request, MethodInvocation invocation) {
        Mono<Lookup> firstRead = (request instanceof EmbeddingRequest) ? Mono.just(Lookup.MISS) : readAsync(plan);
        return firstRead.flatMap(lookup -> {
            if (lookup.entry() != null) {
                return Mono.just(answered(plan, new Flights.Answer(lookup.entry(), true)));
            }
            if (!plan.read()) {
                return resolveAsync(plan, request, invocation, lookup.failed()).map(answer -> answered(plan, answer));
            }
            Flights.Ticket ticket = this.flights.board(plan.backend(), plan.key());
            if (!ticket.leads()) {
                return ticket.answer()
                        .map(answer -> answered(plan, new Flights.Answer(answer.entry(), true)))
                        .switchIfEmpty(Mono.defer(() -> resolveAsync(plan, request, invocation, lookup.failed())
                                .map(answer -> answered(plan, answer))));
            }
            recheckThenResolveAsync(plan, request, invocation, lookup).subscribe(ticket::land, ticket::crash, () -> {});
            return ticket.answer().map(answer -> answered(plan, answer));
        });
    }

    private Mono<Flights.Answer> recheckThenResolveAsync(
            Plan plan, LlmRequest request, MethodInvocation invocation, Lookup first) {
        if ((request instanceof EmbeddingRequest) || first.failed()) {
            return resolveAsync(plan, request, invocation, first.failed());
        }
        return readAsync(plan)
                .flatMap(again -> (again.entry() != null)
                        ? Mono.just(new Flights.Answer(again.entry(), true))
                        : resolveAsync(plan, request, invocation, false));
    }

    @SuppressWarnings("unchecked")
    private Mono<Flights.Answer> resolveAsync(
            Plan plan, LlmRequest request, MethodInvocation invocation, boolean readFailed) {
        if (request instanceof EmbeddingRequest embeddings) {
            return resolveItemsAsync(plan, embeddings, invocation);
        }
        return ((Mono<LlmResponse>) proceed(invocation)).flatMap(fresh -> {
            CacheEntry entry = new CacheEntry(fresh, this.clock.instant());
            Mono<Void> write = readFailed ? Mono.empty() : writeAsync(plan, entry);
            return write.thenReturn(new Flights.Answer(entry, false));
        });
    }

    @SuppressWarnings("unchecked")
    private Mono<Flights.Answer> resolveItemsAsync(Plan plan, EmbeddingRequest request, MethodInvocation invocation) {
        EmbeddingItems items = items(plan, request);
        Mono<Lookups> found = plan.read()
                ? Mono.defer(() -> {
                    long start = System.nanoTime();
                    return plan.backend()
                            .getAllAsync(items.keys())
                            .map(entries -> new Lookups(entries, false))
                            .doOnNext(lookups -> this.monitor.operation(plan.backend(), READ, start, false))
                            .onErrorResume(error -> {
                                readFailed(plan, start, error);
                                return Mono.just(new Lookups(Map.of(), true));
                            });
                })
                : Mono.just(new Lookups(Map.of(), false));
        return found.flatMap(lookups -> {
            Map<CacheKey, EmbeddingResponse> hits = usable(plan, lookups.entries());
            List<String> missing = items.missing(hits);
            if (missing.isEmpty()) {
                return Mono.just(new Flights.Answer(
                        new CacheEntry(items.assemble(hits, missing, null), this.clock.instant()), true));
            }
            invocation.getArguments()[0] = items.requestFor(missing);
            return ((Mono<EmbeddingResponse>) proceed(invocation)).flatMap(fresh -> {
                Mono<Void> write = (lookups.failed() || !plan.write() || !fresh.isCacheable())
                        ? Mono.empty()
                        : Mono.defer(() -> {
                            long start = System.nanoTime();
                            return plan.backend()
                                    .putAllAsync(items.entries(missing, fresh, this.clock.instant()), plan.ttl())
                                    .doOnSuccess(done -> this.monitor.operation(plan.backend(), WRITE, start, false))
                                    .onErrorResume(error -> {
                                        writeFailed(plan, start, error);
                                        return Mono.empty();
                                    });
                        });
                CacheEntry assembled = new CacheEntry(items.assemble(hits, missing, fresh), this.clock.instant());
                return write.thenReturn(new Flights.Answer(assembled, false));
            });
        });
    }

    private Mono<Lookup> readAsync(Plan plan) {
        if (!plan.read()) {
            return Mono.just(Lookup.MISS);
        }
        return Mono.defer(() -> {
            long start = System.nanoTime();
            return plan.backend()
                    .getAsync(plan.key())
                    .map(entry -> Lookup.of(usable(plan, entry)))
                    .defaultIfEmpty(Lookup.MISS)
                    .doOnNext(found -> this.monitor.operation(plan.backend(), READ, start, false))
                    .onErrorResume(error -> {
                        readFailed(plan, start, error);
                        return Mono.just(Lookup.FAILED);
                    });
        });
    }

    private Mono<Void> writeAsync(Plan plan, CacheEntry entry) {
        if (!plan.write() || !entry.response().isCacheable()) {
            return Mono.empty();
        }
        return Mono.defer(() -> {
            long start = System.nanoTime();
            return plan.backend()
                    .putAsync(plan.key(), entry, plan.ttl())
                    .doOnSuccess(done -> this.monitor.operation(plan.backend(), WRITE, start, false))
                    .onErrorResume(error -> {
                        writeFailed(plan, start, error);
                        return Mono.empty();
                    });
        });
    }

    // ---- streams

    @SuppressWarnings("unchecked")
    private Flux<ChatCompletionChunk> stream(ChatCompletionRequest request, MethodInvocation invocation) {
        return Flux.defer(() -> {
            CallMonitor.Call call = this.monitor.begin(CallType.ACOMPLETION, request);
            Plan plan = plan(CallType.ACOMPLETION, request);
            Flux<ChatCompletionChunk> provider = Flux.defer(() -> (Flux<ChatCompletionChunk>) proceedFlux(invocation));
            if (plan == null) {
                return recorded(
                                provider,
                                null,
                                chunks -> Mono.fromRunnable(
                                        () -> report(call, assembled(chunks, false, null), null, null)))
                        .doOnError(error -> report(call, null, null, error));
            }
            return readAsync(plan).flatMapMany(lookup -> {
                if (lookup.entry() != null) {
                    report(call, answered(plan, new Flights.Answer(lookup.entry(), true)), plan, null);
                    return replay(lookup.entry());
                }
                Flights.Ticket ticket = plan.read() ? this.flights.board(plan.backend(), plan.key()) : null;
                if (ticket != null && !ticket.leads()) {
                    return ticket.answer()
                            .flatMapMany(this::replay)
                            .switchIfEmpty(Flux.defer(() -> storedStream(plan, call, provider, lookup.failed(), null)));
                }
                return storedStream(plan, call, provider, lookup.failed(), ticket);
            });
        });
    }

    /** The provider's stream, passed on chunk by chunk; when it completes, stored with its chunks. */
    private Flux<ChatCompletionChunk> storedStream(
            Plan plan,
            CallMonitor.Call call,
            Flux<ChatCompletionChunk> provider,
            boolean readFailed,
            Flights.@Nullable Ticket ticket) {
        return recorded(provider, ticket, chunks -> {
                    if (chunks.isEmpty()) {
                        if (ticket != null) {
                            ticket.crash(new CancellationException("the stream was empty"));
                        }
                        return Mono.empty();
                    }
                    CacheEntry entry =
                            new CacheEntry(ChatCompletionChunks.assemble(chunks), this.clock.instant(), chunks);
                    Mono<Void> write = readFailed ? Mono.empty() : writeAsync(plan, entry);
                    return write.then(Mono.fromRunnable(() -> {
                        if (ticket != null) {
                            ticket.land(new Flights.Answer(entry, false));
                        }
                        report(call, answered(plan, new Flights.Answer(entry, false)), plan, null);
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

    private static @Nullable ChatCompletion assembled(
            List<ChatCompletionChunk> chunks, boolean cacheHit, @Nullable String key) {
        return chunks.isEmpty() ? null : ChatCompletionChunks.assemble(chunks).withCacheResult(cacheHit, key);
    }

    /** A stored answer as a stream: its own chunks, or the completion split into chunks. */
    private Flux<ChatCompletionChunk> replay(Flights.Answer answer) {
        return replay(answer.entry());
    }

    private Flux<ChatCompletionChunk> replay(CacheEntry entry) {
        List<ChatCompletionChunk> chunks = (entry.chunks() != null)
                ? entry.chunks()
                : ChatCompletionChunks.split((ChatCompletion) entry.response());
        return Flux.fromIterable(chunks).map(chunk -> chunk.withCacheHit(true));
    }

    // ---- shared

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
        return new Plan(callType, state.backend(), key, read, write, ttl, sMaxAge, responseType);
    }

    private EmbeddingItems items(Plan plan, EmbeddingRequest request) {
        return new EmbeddingItems(request, plan.key().namespace(), plan.callType(), this.keyGenerator);
    }

    /** The entry when it may answer this call: of the right kind and young enough. */
    private @Nullable CacheEntry usable(Plan plan, @Nullable CacheEntry entry) {
        if (entry == null
                || !plan.responseType().isInstance(entry.response())
                || (plan.sMaxAge() != null
                        && !entry.storedAt().plus(plan.sMaxAge()).isAfter(this.clock.instant()))) {
            return null;
        }
        return entry;
    }

    private Map<CacheKey, EmbeddingResponse> usable(Plan plan, Map<CacheKey, CacheEntry> found) {
        Map<CacheKey, EmbeddingResponse> hits = new HashMap<>();
        found.forEach((key, entry) -> {
            if (usable(plan, entry) != null) {
                hits.put(key, (EmbeddingResponse) entry.response());
            }
        });
        return hits;
    }

    /** The answer's response, marked with the cache's outcome. */
    private static LlmResponse answered(Plan plan, Flights.Answer answer) {
        return answer.entry()
                .response()
                .withCacheResult(answer.fromCache(), plan.key().key());
    }

    private static Object proceed(MethodInvocation invocation) {
        try {
            return invocation.proceed();
        } catch (Throwable error) {
            return Mono.error(error);
        }
    }

    private static Object proceedFlux(MethodInvocation invocation) {
        try {
            return invocation.proceed();
        } catch (Throwable error) {
            return Flux.error(error);
        }
    }

    private void readFailed(Plan plan, long start, Throwable error) {
        this.monitor.operation(plan.backend(), READ, start, true);
        this.failures.failed(plan.backend().name(), READ, error);
    }

    private void writeFailed(Plan plan, long start, Throwable error) {
        this.monitor.operation(plan.backend(), WRITE, start, true);
        this.failures.failed(plan.backend().name(), WRITE, error);
    }

    private static void report(
            CallMonitor.Call call, @Nullable LlmResponse response, @Nullable Plan plan, @Nullable Throwable error) {
        call.end(
                (plan != null) ? plan.backend() : null,
                (plan != null) ? plan.key().key() : null,
                response,
                error);
    }

    /**
     * What a read found: an entry, a miss, or a failure of the backend, after which the call does
     * not write either, so that a slow or failing backend delays it at most once.
     */
    private record Lookup(@Nullable CacheEntry entry, boolean failed) {

        static final Lookup MISS = new Lookup(null, false);

        static final Lookup FAILED = new Lookup(null, true);

        static Lookup of(@Nullable CacheEntry entry) {
            return (entry != null) ? new Lookup(entry, false) : MISS;
        }
    }

    /** What a bulk read found, and whether it failed. */
    private record Lookups(Map<CacheKey, CacheEntry> entries, boolean failed) {}

    /** How one call uses the cache, decided once before it reads. */
    private record Plan(
            CallType callType,
            CacheBackend backend,
            CacheKey key,
            boolean read,
            boolean write,
            @Nullable Duration ttl,
            @Nullable Duration sMaxAge,
            Class<? extends LlmResponse> responseType) {}
}
