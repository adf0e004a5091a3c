package io.github.litellmcache.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** README.md's meter table has a row for every meter the cache registers, and for no other. */
class ReadmeMeterTableTests {

    private static final Path README = Path.of("..", "README.md");

    private static final Pattern ROW = Pattern.compile("^\\| `(litellm\\.cache\\.[a-z.]+)` \\(");

    @Test
    void meterTableNamesEveryMeterOfTheCacheAndNoOther() throws IOException {
        List<String> documented = Files.readAllLines(README).stream()
                .map(ROW::matcher)
                .filter(Matcher::find)
                .map(row -> row.group(1))
                .toList();
        List<String> registered = Stream.of(MicrometerCacheMetrics.class, CacheStateMetrics.class)
                .flatMap(type -> Arrays.stream(type.getFields()))
                .filter(field -> Modifier.isStatic(field.getModifiers()) && field.getType() == String.class)
                .map(ReadmeMeterTableTests::value)
                .toList();
        assertThat(registered).hasSize(11);
        assertThat(documented).containsExactlyInAnyOrderElementsOf(registered);
    }

    private static String value(Field field) {
        try {
            return (String) field.get(null);
        } catch (IllegalAccessException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
