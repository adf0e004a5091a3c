package io.github.litellmcache.completion;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * What a native image needs of the wire types: Jackson reads and writes them by reflection, through
 * their {@code @JsonCreator} factories and annotated accessors, for the provider's answers and for the
 * cache's entries. Registered in {@code META-INF/spring/aot.factories}, so that Spring's AOT
 * processing of an application adds it whichever configuration is active.
 */
final class WireFormatRuntimeHints implements RuntimeHintsRegistrar {

    private static final List<Class<?>> WIRE_TYPES = List.of(
            ChatCompletion.class,
            ChatCompletion.Choice.class,
            ChatCompletionChunk.class,
            ChatCompletionChunk.Choice.class,
            ChatCompletionChunk.Delta.class,
            ChatMessage.class,
            Usage.class,
            EmbeddingResponse.class,
            EmbeddingResponse.Embedding.class,
            EmbeddingVectorDeserializer.class,
            ExtraFields.Probe.class);

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        WIRE_TYPES.forEach(type -> hints.reflection()
                .registerType(
                        type,
                        MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS,
                        MemberCategory.INVOKE_DECLARED_CONSTRUCTORS,
                        MemberCategory.INVOKE_PUBLIC_METHODS,
                        MemberCategory.INVOKE_DECLARED_METHODS,
                        MemberCategory.ACCESS_DECLARED_FIELDS));
    }
}
