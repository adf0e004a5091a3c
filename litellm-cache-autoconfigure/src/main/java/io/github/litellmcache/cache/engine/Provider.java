package io.github.litellmcache.cache.engine;

import io.github.litellmcache.completion.ChatCompletionChunk;
import io.github.litellmcache.completion.LlmRequest;
import java.util.function.Function;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.ProxyMethodInvocation;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * The provider behind one intercepted call: the invocation sent on with a request (the caller's,
 * or one for the embedding items the cache lacks). While it runs, the thread (blocking) or the
 * Reactor context (reactive) is marked, so that a {@code CompletionService} it calls in turn (a
 * decorator around another one) is not cached again, which could make a call wait for itself.
 */
final class Provider {

    private static final ThreadLocal<Boolean> NESTED = new ThreadLocal<>();

    private static final String NESTED_KEY = Provider.class.getName() + ".nested";

    private static final Function<Context, Context> NESTED_CONTEXT = context -> context.put(NESTED_KEY, true);

    private final MethodInvocation invocation;
    private final CallMode mode;

    Provider(MethodInvocation invocation, CallMode mode) {
        this.invocation = invocation;
        this.mode = mode;
    }

    CallMode mode() {
        return this.mode;
    }

    /** Whether this call is made by the provider of a cached call, and so is not cached again. */
    static boolean isNested(ContextView context) {
        return NESTED.get() != null || context.hasKey(NESTED_KEY);
    }

    /** The provider's answer to {@code request}: now on the caller's thread when blocking, else on subscription. */
    @SuppressWarnings("unchecked")
    <T> Step<T> answer(LlmRequest request) {
        if (this.mode == CallMode.BLOCKING) {
            return Step.now(() -> (T) proceed(request));
        }
        return Step.later(Mono.defer(() -> {
            try {
                return ((Mono<T>) proceed(request)).contextWrite(NESTED_CONTEXT);
            } catch (Throwable error) {
                return Mono.error(error);
            }
        }));
    }

    /** The provider's stream for {@code request}, on subscription. */
    @SuppressWarnings("unchecked")
    Flux<ChatCompletionChunk> stream(LlmRequest request) {
        return Flux.defer(() -> {
            try {
                return ((Flux<ChatCompletionChunk>) proceed(request)).contextWrite(NESTED_CONTEXT);
            } catch (Throwable error) {
                return Flux.error(error);
            }
        });
    }

    private @Nullable Object proceed(LlmRequest request) throws Throwable {
        boolean outer = NESTED.get() == null;
        NESTED.set(Boolean.TRUE);
        try {
            return ((this.invocation instanceof ProxyMethodInvocation proxied)
                            ? proxied.invocableClone(request)
                            : this.invocation)
                    .proceed();
        } finally {
            if (outer) {
                NESTED.remove();
            }
        }
    }
}
