package io.github.litellmcache.cache.engine;

import io.github.litellmcache.cache.CacheKeyGenerator;
import io.github.litellmcache.cache.CacheRecorder;
import io.github.litellmcache.cache.CallType;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.callback.CallbackDispatcher;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.LlmRequest;
import io.micrometer.observation.ObservationRegistry;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.ProxyMethodInvocation;

/**
 * Serves the calls of a {@link CompletionService} from the cache: each method is mapped once to its
 * call type and response shape, and its calls go through the one {@link CallPipeline}. The blocking
 * methods run it on the caller's thread, the {@code Mono} and {@code Flux} methods on subscription.
 * The interface's default methods run on the proxy, so that the calls they make are cached too.
 */
public final class CacheInterceptor implements MethodInterceptor {

    private final CallPipeline pipeline;
    private final Map<Method, Route> routes;
    private final Map<Method, Route> resolved = new ConcurrentHashMap<>();

    /**
     * @param cache the settings and backend, read once per call
     * @param keyGenerator computes each call's key
     * @param guards the guard of each backend
     * @param callbacks told about every call
     * @param recorders told what the cache did, for statistics and metrics
     * @param observations where each call's {@code litellm.completion} observation goes
     * @param clock the time of entries and events
     */
    public CacheInterceptor(
            LlmCache cache,
            CacheKeyGenerator keyGenerator,
            BackendGuards guards,
            CallbackDispatcher callbacks,
            List<CacheRecorder> recorders,
            ObservationRegistry observations,
            Clock clock) {
        CallMonitor monitor = new CallMonitor(callbacks, recorders, observations, clock);
        CheckedKeys keys = new CheckedKeys(keyGenerator);
        this.pipeline = new CallPipeline(cache, new CachePolicy(keys), guards, monitor, clock);
        WholeResponseShape completions = new CompletionShape(clock);
        WholeResponseShape embeddings = new EmbeddingItemsShape(clock, keys);
        this.routes = Map.of(
                method("completion", ChatCompletionRequest.class), blocking(CallType.COMPLETION, completions),
                method("embedding", EmbeddingRequest.class), blocking(CallType.EMBEDDING, embeddings),
                method("acompletion", ChatCompletionRequest.class), reactive(CallType.ACOMPLETION, completions),
                method("aembedding", EmbeddingRequest.class), reactive(CallType.AEMBEDDING, embeddings),
                method("streamCompletion", ChatCompletionRequest.class), stream(new ChunkStreamShape(clock)));
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        Route route = this.resolved.get(invocation.getMethod());
        if (route == null) {
            route = this.resolved.computeIfAbsent(invocation.getMethod(), this::route);
        }
        return route.invoke(invocation);
    }

    /** The route of a method as invoked: the interface's, whichever class declares it. */
    private Route route(Method invoked) {
        try {
            Method declared = CompletionService.class.getMethod(invoked.getName(), invoked.getParameterTypes());
            return declared.isDefault()
                    ? onTheProxy(declared)
                    : this.routes.getOrDefault(declared, MethodInvocation::proceed);
        } catch (NoSuchMethodException notOfTheInterface) {
            return MethodInvocation::proceed;
        }
    }

    private Route blocking(CallType callType, WholeResponseShape shape) {
        return withRequest((invocation, request) -> this.pipeline
                .serve(callType, request, new Provider(invocation, CallMode.BLOCKING), shape)
                .await());
    }

    private Route reactive(CallType callType, WholeResponseShape shape) {
        return withRequest((invocation, request) -> this.pipeline
                .serve(callType, request, new Provider(invocation, CallMode.REACTIVE), shape)
                .toMono());
    }

    private Route stream(ChunkStreamShape shape) {
        return withRequest((invocation, request) ->
                this.pipeline.serve(CallType.ACOMPLETION, request, new Provider(invocation, CallMode.REACTIVE), shape));
    }

    /** {@code route} for a call with a request; one without goes on to the provider, which refuses it. */
    private static Route withRequest(RequestRoute route) {
        return invocation -> (invocation.getArguments()[0] instanceof LlmRequest request)
                ? route.invoke(invocation, request)
                : invocation.proceed();
    }

    /** A default method of the interface, run on the proxy rather than on the target. */
    private static Route onTheProxy(Method method) {
        MethodHandle handle;
        try {
            handle = MethodHandles.privateLookupIn(CompletionService.class, MethodHandles.lookup())
                    .unreflectSpecial(method, CompletionService.class);
        } catch (IllegalAccessException ex) {
            throw new IllegalStateException(ex);
        }
        return invocation -> (invocation instanceof ProxyMethodInvocation proxied)
                ? handle.bindTo(proxied.getProxy()).invokeWithArguments(invocation.getArguments())
                : invocation.proceed();
    }

    private static Method method(String name, Class<?>... parameterTypes) {
        try {
            return CompletionService.class.getMethod(name, parameterTypes);
        } catch (NoSuchMethodException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** What a call of one method does. */
    @FunctionalInterface
    private interface Route {

        @Nullable
        Object invoke(MethodInvocation invocation) throws Throwable;
    }

    /** What a call of one method does with its request. */
    @FunctionalInterface
    private interface RequestRoute {

        @Nullable
        Object invoke(MethodInvocation invocation, LlmRequest request) throws Throwable;
    }
}
