package io.github.litellmcache.cache.engine;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;

/**
 * The outcome of one step of a call, so that the pipeline composes its steps once for both call
 * modes: in a blocking call a step has run when it is made ({@link Now}: a value, nothing, or an
 * error), on the caller's thread and without Reactor; in a reactive call it is a {@code Mono} that
 * runs on subscription ({@link Later}). Composing steps of one mode gives a step of that mode.
 *
 * @param <T> what the step gives
 */
sealed interface Step<T> permits Step.Now, Step.Later {

    static <T> Step<T> of(@Nullable T value) {
        return new Now<>(value, null);
    }

    @SuppressWarnings("unchecked")
    static <T> Step<T> empty() {
        return (Step<T>) Now.EMPTY;
    }

    static <T> Step<T> failed(Throwable error) {
        return new Now<>(null, error);
    }

    /** {@code work} run now: its value, nothing when it returns null, or what it threw. */
    static <T> Step<T> now(Work<T> work) {
        try {
            return of(work.run());
        } catch (Throwable error) {
            Exceptions.throwIfJvmFatal(error);
            return failed(error);
        }
    }

    static <T> Step<T> later(Mono<T> work) {
        return new Later<>(work);
    }

    <R> Step<R> map(Function<? super T, ? extends @Nullable R> mapper);

    <R> Step<R> flatMap(Function<? super T, Step<R>> mapper);

    Step<T> filter(Predicate<? super T> predicate);

    /** This step, or {@code other} when it gives nothing. */
    Step<T> orElse(Supplier<Step<T>> other);

    <R> Step<R> thenReturn(R value);

    /** This step, or what {@code fallback} makes of its error when {@code which} matches it. */
    Step<T> onErrorResume(Predicate<? super Throwable> which, Function<? super Throwable, Step<T>> fallback);

    /**
     * This step, its end told to {@code report}: the value (null for nothing) or the error, and a
     * {@link CancellationException} when the subscriber cancels.
     */
    Step<T> reported(BiConsumer<@Nullable T, @Nullable Throwable> report);

    /** Runs the step (a reactive one in the background) and gives its value or error to the consumers. */
    void subscribe(Consumer<T> onValue, Consumer<Throwable> onError);

    Mono<T> toMono();

    /** The value, null for nothing, waited for on this thread; throws the error. */
    @Nullable
    T await() throws Throwable;

    /**
     * A step that has run.
     *
     * @param value its value, null for nothing or an error
     * @param error its error, or null
     */
    record Now<T>(@Nullable T value, @Nullable Throwable error) implements Step<T> {

        private static final Now<?> EMPTY = new Now<>(null, null);

        @Override
        public @Nullable T await() throws Throwable {
            if (this.error != null) {
                throw this.error;
            }
            return this.value;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <R> Step<R> map(Function<? super T, ? extends @Nullable R> mapper) {
            if (this.value == null) {
                return (Step<R>) this;
            }
            try {
                return of(mapper.apply(this.value));
            } catch (Throwable error) {
                Exceptions.throwIfJvmFatal(error);
                return failed(error);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public <R> Step<R> flatMap(Function<? super T, Step<R>> mapper) {
            if (this.value == null) {
                return (Step<R>) this;
            }
            try {
                return mapper.apply(this.value);
            } catch (Throwable error) {
                Exceptions.throwIfJvmFatal(error);
                return failed(error);
            }
        }

        @Override
        public Step<T> filter(Predicate<? super T> predicate) {
            return flatMap(value -> predicate.test(value) ? this : empty());
        }

        @Override
        public Step<T> orElse(Supplier<Step<T>> other) {
            return (this.value == null && this.error == null) ? other.get() : this;
        }

        @Override
        public <R> Step<R> thenReturn(R value) {
            return (this.error != null) ? failed(this.error) : of(value);
        }

        @Override
        public Step<T> onErrorResume(
                Predicate<? super Throwable> which, Function<? super Throwable, Step<T>> fallback) {
            if (this.error == null || !which.test(this.error)) {
                return this;
            }
            try {
                return fallback.apply(this.error);
            } catch (Throwable error) {
                Exceptions.throwIfJvmFatal(error);
                return failed(error);
            }
        }

        @Override
        public Step<T> reported(BiConsumer<@Nullable T, @Nullable Throwable> report) {
            report.accept(this.value, this.error);
            return this;
        }

        @Override
        public void subscribe(Consumer<T> onValue, Consumer<Throwable> onError) {
            if (this.error != null) {
                onError.accept(this.error);
            } else if (this.value != null) {
                onValue.accept(this.value);
            }
        }

        @Override
        public Mono<T> toMono() {
            return (this.error != null) ? Mono.error(this.error) : Mono.justOrEmpty(this.value);
        }
    }

    /**
     * A step that runs on subscription.
     *
     * @param mono the step
     */
    record Later<T>(Mono<T> mono) implements Step<T> {

        @Override
        public <R> Step<R> map(Function<? super T, ? extends @Nullable R> mapper) {
            return later(this.mono.mapNotNull(mapper));
        }

        @Override
        public <R> Step<R> flatMap(Function<? super T, Step<R>> mapper) {
            return later(this.mono.flatMap(value -> mapper.apply(value).toMono()));
        }

        @Override
        public Step<T> filter(Predicate<? super T> predicate) {
            return later(this.mono.filter(predicate));
        }

        @Override
        public Step<T> orElse(Supplier<Step<T>> other) {
            return later(this.mono.switchIfEmpty(Mono.defer(() -> other.get().toMono())));
        }

        @Override
        public <R> Step<R> thenReturn(R value) {
            return later(this.mono.thenReturn(value));
        }

        @Override
        public Step<T> onErrorResume(
                Predicate<? super Throwable> which, Function<? super Throwable, Step<T>> fallback) {
            return later(this.mono.onErrorResume(
                    which, error -> fallback.apply(error).toMono()));
        }

        @Override
        public Step<T> reported(BiConsumer<@Nullable T, @Nullable Throwable> report) {
            return later(this.mono
                    .doOnSuccess(value -> report.accept(value, null))
                    .doOnError(error -> report.accept(null, error))
                    .doOnCancel(() -> report.accept(null, new CancellationException("the caller cancelled"))));
        }

        @Override
        public void subscribe(Consumer<T> onValue, Consumer<Throwable> onError) {
            this.mono.subscribe(onValue, onError);
        }

        @Override
        public Mono<T> toMono() {
            return this.mono;
        }

        @Override
        public @Nullable T await() throws Throwable {
            try {
                return this.mono.toFuture().get();
            } catch (ExecutionException ex) {
                throw ex.getCause();
            }
        }
    }

    /** Work that a blocking step runs: what it gives, null for nothing, or what it throws. */
    @FunctionalInterface
    interface Work<T> {

        @Nullable
        T run() throws Throwable;
    }
}
