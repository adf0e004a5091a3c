package io.github.litellmcache.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheSettings;
import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.completion.ChatCompletionRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.convert.ConversionService;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * README.md tells the truth about the configuration: its configuration reference has a row for every {@code litellm.*}
 * property of the generated configuration metadata, names no other, and gives the same defaults; its table from
 * LiteLLM (Python) names only properties and builder methods that exist.
 *
 * <p>A reference row's first cell is one backticked property name, or several separated by {@code /}, the later ones
 * relative to the first one's parent ({@code `litellm.azure.api-key` / `api-base`}). Its default cell is {@code none}
 * (no default), one backticked value for every name, one per name separated by {@code /}, or a backticked environment
 * variable ({@code `OPENAI_API_KEY`}: no default, the property's description names the variable).
 */
class ReadmeConfigurationReferenceTests {

    private static final Path README = Path.of("..", "README.md");

    private static final Pattern REFERENCE_ROW =
            Pattern.compile("^\\| (`[^`|]+`(?: / `[^`|]+`)*) \\| ([^|]*) \\| .*\\|$");

    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");

    private static final Pattern BACKTICKED_VALUES = Pattern.compile("^`[^`]+`(?: / `[^`]+`)*$");

    private static final Pattern ENVIRONMENT_VARIABLE = Pattern.compile("[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+");

    private static final Pattern PROPERTY_REFERENCE =
            Pattern.compile("^(litellm(?:\\.[a-z0-9-]+)+)((?:/[a-z0-9-]+)*)(\\.\\*)?");

    private static final Pattern BUILDER = Pattern.compile("\\b([A-Z]\\w*)\\.builder\\(\\)");

    private static final Pattern TYPE_MEMBER = Pattern.compile("^([A-Z]\\w*)\\.([a-z]\\w*)(\\*)?");

    private static final Pattern CALL = Pattern.compile("\\.([a-z]\\w*)\\(");

    private static final List<String> API_PACKAGES = List.of(
            "io.github.litellmcache.cache", "io.github.litellmcache.completion", "io.github.litellmcache.callback");

    private static final Set<String> CONVERTED_TYPES = Set.of(
            "java.time.Duration", DataSize.class.getName(), "java.lang.Boolean", "java.lang.Integer", "java.lang.Long");

    private final ConversionService conversion = ApplicationConversionService.getSharedInstance();

    @Test
    void everyMetadataPropertyHasAReferenceRow() throws IOException {
        Set<String> documented = referenceRows().keySet();
        Set<String> missing = new TreeSet<>();
        metadata().forEach((name, property) -> {
            if (!property.has("deprecation") && !documented.contains(name)) {
                missing.add(name + " is in the configuration metadata but has no row in the README's reference");
            }
        });
        assertThat(missing).isEmpty();
    }

    @Test
    void everyReferenceRowNamesAMetadataProperty() throws IOException {
        Map<String, JsonNode> metadata = metadata();
        assertThat(referenceRows().keySet())
                .filteredOn(name -> !metadata.containsKey(name))
                .as("README reference rows naming no property of the configuration metadata")
                .isEmpty();
    }

    @Test
    void referenceDefaultsAgreeWithTheMetadata() throws IOException {
        Map<String, JsonNode> metadata = metadata();
        List<String> wrong = new ArrayList<>();
        referenceRows().forEach((name, documented) -> {
            JsonNode property = metadata.get(name);
            if (property != null) {
                String disagreement = disagreement(name, documented, property);
                if (disagreement != null) {
                    wrong.add(disagreement);
                }
            }
        });
        assertThat(wrong).isEmpty();
    }

    @Test
    void liteLlmTableNamesOnlyPropertiesAndMethodsThatExist() throws IOException {
        Map<String, JsonNode> metadata = metadata();
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (String span : liteLlmTableSpans()) {
            checked += checkProperties(span, metadata, wrong);
            Matcher builder = BUILDER.matcher(span);
            while (builder.find()) {
                Class<?> type = apiClass(builder.group(1), span, wrong);
                if (type != null) {
                    checked += checkCalls(span, builder.end(), builderOf(type), wrong);
                }
            }
            if (span.startsWith(".")) {
                checked += checkCalls(span, 0, ChatCompletionRequest.Builder.class, wrong);
            }
            if (span.startsWith("llmCache.")) {
                checked += checkCalls(span, "llmCache".length(), LlmCache.class, wrong);
            }
            Matcher member = TYPE_MEMBER.matcher(span);
            if (member.find() && !member.group(2).equals("builder")) {
                Class<?> type = apiClass(member.group(1), span, wrong);
                String prefix = member.group(2) + ((member.group(3) != null) ? "" : "(");
                if (type != null && !hasMethodStartingWith(type, prefix)) {
                    wrong.add("`" + span + "`: " + type.getName() + " has no method " + member.group(2));
                }
                checked++;
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(checked)
                .as("references checked in the README's LiteLLM table")
                .isGreaterThan(20);
    }

    @Test
    void everyS3PropertyHasACacheSettingsBuilderMethodAsTheLiteLlmTableSays() throws IOException {
        String prefix = LiteLlmCacheProperties.PREFIX + ".s3.";
        Set<String> s3Properties = metadata().keySet().stream()
                .filter(name -> name.startsWith(prefix))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(s3Properties).isNotEmpty();
        assertThat(s3Properties)
                .filteredOn(name -> !hasMethodStartingWith(
                        CacheSettings.Builder.class, "s3" + upperCamel(name.substring(prefix.length())) + "("))
                .as("litellm.cache.s3.* properties without a CacheSettings.Builder s3* method")
                .isEmpty();
    }

    /** Why the README's default of {@code name} disagrees with the metadata's, or null when they agree. */
    private @Nullable String disagreement(String name, @Nullable String documented, JsonNode property) {
        JsonNode node = property.get("defaultValue");
        String actual = (node == null || node.isNull()) ? null : text(node);
        String type = property.path("type").asString();
        if (documented == null) {
            return (actual == null) ? null : name + ": the README says none, the metadata's default is " + actual;
        }
        if (ENVIRONMENT_VARIABLE.matcher(documented).matches()) {
            String description = property.path("description").asString();
            String environment = name + ": the README's default is the environment variable " + documented;
            if (actual != null) {
                return environment + ", the metadata's default is " + actual;
            }
            return description.contains(documented)
                    ? null
                    : environment + ", which the metadata's description does not name: " + description;
        }
        if (actual == null) {
            return name + ": the README's default is " + documented + ", the metadata has none";
        }
        try {
            return normalized(documented, type).equals(normalized(actual, type))
                    ? null
                    : name + ": the README's default is " + documented + ", the metadata's is " + actual;
        } catch (RuntimeException ex) {
            return name + ": the README's default " + documented + " is not a valid " + type + " (" + ex.getMessage()
                    + ")";
        }
    }

    /** {@code 10m} and {@code PT10M} as one Duration, {@code 64MB} and {@code 67108864B} as one DataSize, and so on. */
    private Object normalized(String value, String type) {
        if (!CONVERTED_TYPES.contains(type)) {
            return value;
        }
        try {
            Object converted = this.conversion.convert(value, Class.forName(type));
            return (converted != null) ? converted : value;
        } catch (ClassNotFoundException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The reference's documented default of each property it names, null for none, in README order. */
    private static Map<String, @Nullable String> referenceRows() throws IOException {
        Map<String, @Nullable String> rows = new LinkedHashMap<>();
        List<String> unreadable = new ArrayList<>();
        for (String line : section("## Configuration reference")) {
            if (!line.startsWith("| `")) {
                continue;
            }
            Matcher row = REFERENCE_ROW.matcher(line);
            if (!row.matches()) {
                unreadable.add(line);
                continue;
            }
            List<String> names = names(backticked(row.group(1)));
            List<@Nullable String> defaults = defaults(row.group(2).strip(), names.size());
            if (defaults == null) {
                unreadable.add(line);
                continue;
            }
            for (int i = 0; i < names.size(); i++) {
                rows.put(names.get(i), defaults.get(i));
            }
        }
        assertThat(unreadable)
                .as("README reference rows whose first cell is not backticked property names, or whose default is"
                        + " neither 'none' nor backticked values, one for all names or one per name")
                .isEmpty();
        assertThat(rows).as("rows of the README's configuration reference").isNotEmpty();
        return rows;
    }

    /** {@code litellm.azure.api-key}, {@code api-base} as {@code litellm.azure.api-key}, {@code litellm.azure.api-base}. */
    private static List<String> names(List<String> cell) {
        String first = cell.get(0);
        String parent = first.substring(0, first.lastIndexOf('.') + 1);
        return cell.stream()
                .map(name -> name.startsWith("litellm.") ? name : parent + name)
                .toList();
    }

    private static @Nullable List<@Nullable String> defaults(String cell, int names) {
        if (cell.equals("none")) {
            return Collections.nCopies(names, null);
        }
        if (!BACKTICKED_VALUES.matcher(cell).matches()) {
            return null;
        }
        List<String> values = backticked(cell);
        if (values.size() == names) {
            return new ArrayList<>(values);
        }
        return (values.size() == 1) ? Collections.nCopies(names, values.get(0)) : null;
    }

    /** The backticked spans of the second column of the README's table from LiteLLM (Python). */
    private static List<String> liteLlmTableSpans() throws IOException {
        List<String> spans = new ArrayList<>();
        Pattern row = Pattern.compile("^\\|([^|]*)\\|(.*)\\|$");
        for (String line : section("## From LiteLLM (Python) to litellm-cache")) {
            Matcher cells = row.matcher(line);
            if (cells.matches() && !cells.group(2).contains("---")) {
                spans.addAll(backticked(cells.group(2)));
            }
        }
        assertThat(spans).as("references in the README's table from LiteLLM").isNotEmpty();
        return spans;
    }

    /** Checks {@code litellm.cache.redis.host/port/password} or {@code litellm.cache.s3.*} at the start of a span. */
    private static int checkProperties(String span, Map<String, JsonNode> metadata, List<String> wrong) {
        Matcher reference = PROPERTY_REFERENCE.matcher(span);
        if (!reference.find()) {
            return 0;
        }
        String first = reference.group(1);
        if (reference.group(3) != null) {
            if (metadata.keySet().stream().noneMatch(name -> name.startsWith(first + "."))) {
                wrong.add("`" + span + "`: no property in the configuration metadata starts with " + first + ".");
            }
            return 1;
        }
        List<String> names = new ArrayList<>(List.of(first));
        String parent = first.substring(0, first.lastIndexOf('.') + 1);
        Arrays.stream(reference.group(2).split("/"))
                .filter(name -> !name.isEmpty())
                .forEach(name -> names.add(parent + name));
        names.stream()
                .filter(name -> !metadata.containsKey(name))
                .forEach(name -> wrong.add("`" + span + "`: " + name + " is not in the configuration metadata"));
        return names.size();
    }

    /** Checks that every {@code .method(...)} chained from {@code start} in {@code span} is a method of {@code type}. */
    private static int checkCalls(String span, int start, Class<?> type, List<String> wrong) {
        int checked = 0;
        Matcher call = CALL.matcher(span);
        int at = start;
        while (call.region(at, span.length()).lookingAt() && !call.group(1).equals("build")) {
            if (!hasMethodStartingWith(type, call.group(1) + "(")) {
                wrong.add("`" + span + "`: " + type.getName() + " has no method " + call.group(1));
            }
            checked++;
            at = afterArguments(span, call.end());
        }
        return checked;
    }

    /** The index after the parenthesis that closes the one opened just before {@code from}. */
    private static int afterArguments(String text, int from) {
        int depth = 1;
        int at = from;
        while (at < text.length() && depth > 0) {
            char c = text.charAt(at++);
            depth += (c == '(') ? 1 : (c == ')') ? -1 : 0;
        }
        return at;
    }

    /** Whether {@code type} has a public method whose name starts with {@code prefix}, {@code "name("} for one name. */
    private static boolean hasMethodStartingWith(Class<?> type, String prefix) {
        return Arrays.stream(type.getMethods()).anyMatch(method -> (method.getName() + "(").startsWith(prefix));
    }

    private static @Nullable Class<?> apiClass(String simpleName, String span, List<String> wrong) {
        for (String pkg : API_PACKAGES) {
            try {
                return Class.forName(pkg + "." + simpleName);
            } catch (ClassNotFoundException ex) {
                // try the next package
            }
        }
        wrong.add("`" + span + "`: no class " + simpleName + " in " + API_PACKAGES);
        return null;
    }

    private static Class<?> builderOf(Class<?> type) {
        try {
            return type.getMethod("builder").getReturnType();
        } catch (NoSuchMethodException ex) {
            throw new AssertionError(type.getName() + " has no builder()", ex);
        }
    }

    /** The lines of the README section under {@code heading}, up to the next heading. */
    private static List<String> section(String heading) throws IOException {
        assertThat(README)
                .as("README.md beside the module (Maven runs tests in the module's directory)")
                .exists();
        List<String> lines = Files.readAllLines(README);
        int start = lines.indexOf(heading);
        assertThat(start).as("the README's section " + heading).isNotNegative();
        List<String> section = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("#")) {
                break;
            }
            section.add(line);
        }
        return section;
    }

    /** Every {@code litellm.*} property of the configuration metadata on the classpath, by name. */
    private static Map<String, JsonNode> metadata() throws IOException {
        Map<String, JsonNode> properties = new LinkedHashMap<>();
        for (URL url : Collections.list(ReadmeConfigurationReferenceTests.class
                .getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream json = url.openStream()) {
                JsonMapper.shared().readTree(json).path("properties").forEach(property -> {
                    String name = property.path("name").asString();
                    if (name.startsWith("litellm.")) {
                        properties.put(name, property);
                    }
                });
            }
        }
        assertThat(properties)
                .as("litellm.* properties in the configuration metadata")
                .containsKey("litellm.cache.type");
        return properties;
    }

    private static List<String> backticked(String text) {
        List<String> spans = new ArrayList<>();
        Matcher span = BACKTICKED.matcher(text);
        while (span.find()) {
            spans.add(span.group(1));
        }
        return spans;
    }

    /** A default as the README writes it: an array as its elements joined by {@code ", "}. */
    private static String text(JsonNode value) {
        if (!value.isArray()) {
            return value.asString();
        }
        List<String> elements = new ArrayList<>();
        value.forEach(element -> elements.add(element.asString()));
        return String.join(", ", elements);
    }

    private static String upperCamel(String kebab) {
        return Arrays.stream(kebab.split("-"))
                .map(word -> Character.toUpperCase(word.charAt(0)) + word.substring(1))
                .collect(Collectors.joining());
    }
}
