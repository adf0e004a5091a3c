package io.github.litellmcache.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.PropertyAccessorFactory;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The configuration metadata that IDEs show for {@code litellm.*} (the generated
 * {@code META-INF/spring-configuration-metadata.json}) describes every property with the default that the properties
 * classes really have.
 */
class ConfigurationMetadataTests {

    private static final Map<String, Object> PROPERTIES_BY_PREFIX = Map.of(
            LiteLlmCacheProperties.PREFIX, new LiteLlmCacheProperties(),
            LiteLlmProviderProperties.PREFIX, new LiteLlmProviderProperties());

    private final ConversionService conversion = ApplicationConversionService.getSharedInstance();

    @Test
    void everyPropertyWithADefaultDocumentsThatDefault() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (JsonNode property : litellmProperties()) {
            String name = property.get("name").asString();
            BeanWrapper bean = beanOf(name);
            String path = beanPath(name);
            Object actual = bean.getPropertyValue(path);
            if (actual == null) {
                continue;
            }
            JsonNode documented = property.get("defaultValue");
            Object source =
                    (documented == null) ? null : documented.isArray() ? texts(documented) : documented.asString();
            Object expected = (source == null)
                    ? null
                    : this.conversion.convert(
                            source, TypeDescriptor.forObject(source), bean.getPropertyTypeDescriptor(path));
            if (!actual.equals(expected)) {
                wrong.add(name + " documents " + documented + " but defaults to " + actual);
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyPropertyHasADescription() throws Exception {
        assertThat(litellmProperties())
                .filteredOn(property -> !property.hasNonNull("description"))
                .isEmpty();
    }

    private static List<JsonNode> litellmProperties() throws Exception {
        Path metadata = Path.of(LiteLlmCacheProperties.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .resolve("META-INF/spring-configuration-metadata.json");
        List<JsonNode> properties = new ArrayList<>();
        JsonMapper.shared().readTree(metadata.toFile()).get("properties").forEach(properties::add);
        return properties.stream()
                .filter(property -> property.get("name").asString().startsWith("litellm."))
                .toList();
    }

    private static BeanWrapper beanOf(String name) {
        return PropertyAccessorFactory.forBeanPropertyAccess(PROPERTIES_BY_PREFIX.get(prefixOf(name)));
    }

    private static String prefixOf(String name) {
        return name.startsWith(LiteLlmCacheProperties.PREFIX + ".")
                ? LiteLlmCacheProperties.PREFIX
                : LiteLlmProviderProperties.PREFIX;
    }

    /** {@code litellm.cache.local.max-memory} as the bean path {@code local.maxMemory}. */
    private static String beanPath(String name) {
        return Arrays.stream(name.substring(prefixOf(name).length() + 1).split("\\."))
                .map(ConfigurationMetadataTests::camelCase)
                .collect(Collectors.joining("."));
    }

    private static String camelCase(String kebab) {
        String[] words = kebab.split("-");
        StringBuilder camel = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            camel.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        }
        return camel.toString();
    }

    private static String[] texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(element -> texts.add(element.asString()));
        return texts.toArray(String[]::new);
    }
}
