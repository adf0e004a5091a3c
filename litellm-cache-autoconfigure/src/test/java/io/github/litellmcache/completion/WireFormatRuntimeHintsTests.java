package io.github.litellmcache.completion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Executable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.ValueDeserializer;

/**
 * A native image can read and write every type Jackson binds in this package: the hints that Spring's
 * AOT processing collects from {@code aot.factories} let Jackson invoke each of their creators,
 * annotated accessors and custom deserializers.
 */
class WireFormatRuntimeHintsTests {

    private static final ReflectionHintsPredicates REFLECTION = RuntimeHintsPredicates.reflection();

    @Test
    void everyMemberJacksonCallsInTheWireTypesMayBeInvokedInANativeImage() throws Exception {
        RuntimeHints hints = hintsOfAotFactories();
        List<Class<?>> bound = jacksonBoundTypes();
        assertThat(bound).contains(ChatCompletionChunk.Delta.class, EmbeddingVectorDeserializer.class);
        for (Class<?> type : bound) {
            assertThat(REFLECTION.onType(type)).as(type.getName()).accepts(hints);
            for (Executable member : jacksonCalled(type)) {
                assertThat(
                                (member instanceof java.lang.reflect.Method method)
                                        ? REFLECTION.onMethodInvocation(method)
                                        : REFLECTION.onConstructorInvocation((java.lang.reflect.Constructor<?>) member))
                        .as(member.toString())
                        .accepts(hints);
            }
        }
    }

    private static RuntimeHints hintsOfAotFactories() {
        RuntimeHints hints = new RuntimeHints();
        ClassLoader classLoader = WireFormatRuntimeHintsTests.class.getClassLoader();
        AotServices.factories(classLoader)
                .load(RuntimeHintsRegistrar.class)
                .forEach(registrar -> registrar.registerHints(hints, classLoader));
        return hints;
    }

    /** The classes of this package (nested ones included) that carry Jackson annotations or are deserializers. */
    private static List<Class<?>> jacksonBoundTypes() throws IOException, ClassNotFoundException {
        String pkg = WireFormatRuntimeHintsTests.class.getPackageName();
        Resource[] classFiles = new PathMatchingResourcePatternResolver()
                .getResources("classpath*:" + ClassUtils.convertClassNameToResourcePath(pkg) + "/*.class");
        List<Class<?>> bound = new ArrayList<>();
        for (Resource classFile : classFiles) {
            String name = pkg + "." + classFile.getFilename().replace(".class", "");
            Class<?> type = Class.forName(name, false, WireFormatRuntimeHintsTests.class.getClassLoader());
            if (type.getPackageName().equals(pkg)
                    && !type.getSimpleName().endsWith("Tests")
                    && (ValueDeserializer.class.isAssignableFrom(type)
                            || isJackson(type)
                            || !jacksonCalled(type).isEmpty())) {
                bound.add(type);
            }
        }
        return bound;
    }

    /** The constructors and methods of {@code type} that carry a Jackson annotation, or whose parameters do. */
    private static List<Executable> jacksonCalled(Class<?> type) {
        Stream<Executable> members =
                Stream.concat(Arrays.stream(type.getDeclaredConstructors()), Arrays.stream(type.getDeclaredMethods()));
        return members.filter(member -> isJackson(member)
                        || Arrays.stream(member.getParameters()).anyMatch(WireFormatRuntimeHintsTests::isJackson)
                        || (ValueDeserializer.class.isAssignableFrom(type) && member.getParameterCount() == 0))
                .toList();
    }

    private static boolean isJackson(AnnotatedElement element) {
        return Arrays.stream(element.getDeclaredAnnotations())
                .map(Annotation::annotationType)
                .map(Class::getPackageName)
                .anyMatch(name -> name.startsWith("com.fasterxml.jackson.annotation")
                        || name.startsWith("tools.jackson.databind.annotation"));
    }
}
