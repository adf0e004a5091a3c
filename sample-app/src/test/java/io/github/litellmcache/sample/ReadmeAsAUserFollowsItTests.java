package io.github.litellmcache.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * README.md works for a developer who follows it alone: the dependencies of its "Using it" section
 * build (every one without a version is managed by Spring Boot's parent or by a BOM the README
 * imports), they are what this sample app, the project's consumer, declares, in the project's version,
 * the BOMs it imports are in the versions the project is built with, and its Java examples compile
 * against the library as they are copied, with the imports they spell out.
 */
class ReadmeAsAUserFollowsItTests {

    private static final Path README = Path.of("..", "README.md");

    private static final Path POM = Path.of("pom.xml");

    /** The project's parent pom, whose properties give the versions of the BOMs the sample app imports. */
    private static final Path PROJECT_POM = Path.of("..", "pom.xml");

    private static final Pattern BLOCK = Pattern.compile("(?s)```(xml|java)\\n(.*?)```");

    @Test
    void everyDependencyWithoutAVersionIsManagedBySpringBootOrByABomTheReadmeImports() throws Exception {
        List<Element> readme = readmeXml();
        Set<String> imported = new TreeSet<>();
        for (Element bom : dependencies(readme, true)) {
            if ("import".equals(text(bom, "scope"))) {
                imported.add(text(bom, "groupId"));
            }
        }
        assertThat(dependencies(readme, false))
                .filteredOn(dependency -> text(dependency, "version") == null)
                .filteredOn(dependency -> !"org.springframework.boot".equals(text(dependency, "groupId")))
                .filteredOn(dependency -> !imported.contains(text(dependency, "groupId")))
                .extracting(dependency -> coordinates(dependency))
                .as(
                        "dependencies the README adds without a version that neither Spring Boot's parent nor a BOM"
                                + " the README imports (%s) manages",
                        imported)
                .isEmpty();
    }

    @Test
    void sampleAppDeclaresTheDependenciesAndBomsTheReadmeTellsUsersToAdd() throws Exception {
        List<Element> readme = readmeXml();
        Element project = parse(Files.readString(POM)).getDocumentElement();
        List<Element> pom = List.of(project);
        assertThat(coordinates(dependencies(pom, false))).containsAll(coordinates(dependencies(readme, false)));
        assertThat(dependencies(readme, false))
                .filteredOn(dependency -> "io.github.litellmcache".equals(text(dependency, "groupId")))
                .extracting(dependency -> text(dependency, "version"))
                .as("the version of the README's starter")
                .containsOnly(
                        text((Element) project.getElementsByTagName("parent").item(0), "version"));
        assertThat(coordinates(dependencies(pom, true))).isEqualTo(coordinates(dependencies(readme, true)));
    }

    @Test
    void theBomsTheReadmeImportsAreInTheVersionsTheProjectIsBuiltWith() throws Exception {
        List<Element> pom = List.of(parse(Files.readString(POM)).getDocumentElement());
        Element properties = (Element) parse(Files.readString(PROJECT_POM))
                .getDocumentElement()
                .getElementsByTagName("properties")
                .item(0);
        for (Element bom : dependencies(readmeXml(), true)) {
            String declared = dependencies(pom, true).stream()
                    .filter(managed -> coordinates(managed).equals(coordinates(bom)))
                    .map(managed -> text(managed, "version"))
                    .findFirst()
                    .orElseThrow();
            String built = declared.startsWith("${")
                    ? text(properties, declared.substring(2, declared.length() - 1))
                    : declared;
            assertThat(text(bom, "version"))
                    .as("the README's version of " + coordinates(bom))
                    .isEqualTo(built);
        }
    }

    @Test
    void sampleAppDeclaresNoOtherLibraryThanTheReadmeNames() throws Exception {
        String text = Files.readString(README);
        List<Element> pom = List.of(parse(Files.readString(POM)).getDocumentElement());
        assertThat(dependencies(pom, false))
                .filteredOn(dependency -> !"test".equals(text(dependency, "scope")))
                .filteredOn(dependency -> !named(text, text(dependency, "artifactId")))
                .extracting(dependency -> coordinates(dependency))
                .as("compile dependencies of the sample app that the README does not tell users about")
                .isEmpty();
    }

    @Test
    void javaExamplesCompileAgainstTheLibrary(@TempDir Path classes) throws IOException {
        List<String> examples = blocks("java");
        assertThat(examples).as("Java examples in the README").isNotEmpty();
        List<JavaFileObject> sources = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            sources.add(source(i, examples.get(i)));
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            List<String> options = List.of("-classpath", classpath(), "-d", classes.toString(), "-proc:none");
            boolean compiled = compiler.getTask(null, files, diagnostics, options, null, sources)
                    .call();
            assertThat(diagnostics.getDiagnostics())
                    .extracting(diagnostic -> diagnostic.getMessage(Locale.ROOT))
                    .as("compiling the README's Java examples")
                    .isEmpty();
            assertThat(compiled).isTrue();
        }
    }

    /** Whether the README names {@code artifact}, in backticks or as an XML element's text. */
    private static boolean named(String readme, @Nullable String artifact) {
        return readme.contains("`" + artifact + "`") || readme.contains(">" + artifact + "<");
    }

    /** Example {@code index} as a compilation unit in a package of its own, with only the imports it spells out. */
    private static JavaFileObject source(int index, String example) {
        String code = "package readme.example" + index + ";\n" + example;
        return new SimpleJavaFileObject(
                URI.create("string:///readme/example" + index + "/Example" + JavaFileObject.Kind.SOURCE.extension),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return code;
            }
        };
    }

    /** The test classpath as Surefire gives it (its own {@code java.class.path} may be a manifest-only jar). */
    private static String classpath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    private static List<Element> readmeXml() throws Exception {
        List<Element> roots = new ArrayList<>();
        for (String block : blocks("xml")) {
            roots.add(parse("<readme>" + block + "</readme>").getDocumentElement());
        }
        assertThat(roots).as("XML blocks of the README's \"Using it\" section").isNotEmpty();
        return roots;
    }

    /** The README's fenced blocks of {@code language}, in order ("xml" only from its "Using it" section). */
    private static List<String> blocks(String language) throws IOException {
        String text = Files.readString(README);
        if (language.equals("xml")) {
            int start = text.indexOf("\n## Using it\n");
            assertThat(start).as("the README's section \"Using it\"").isNotNegative();
            int end = text.indexOf("\n## ", start + 1);
            text = text.substring(start, (end < 0) ? text.length() : end);
        }
        List<String> blocks = new ArrayList<>();
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
            if (block.group(1).equals(language)) {
                blocks.add(block.group(2));
            }
        }
        return blocks;
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    /**
     * The {@code <dependency>} elements under the roots: those inside {@code <dependencyManagement>}
     * when {@code managed}, the others otherwise (of the project itself, not of its plugins).
     */
    private static List<Element> dependencies(List<Element> roots, boolean managed) {
        List<Element> found = new ArrayList<>();
        for (Element root : roots) {
            NodeList all = root.getElementsByTagName("dependency");
            for (int i = 0; i < all.getLength(); i++) {
                Element dependency = (Element) all.item(i);
                if (isUnder(dependency, "dependencyManagement") == managed && !isUnder(dependency, "build")) {
                    found.add(dependency);
                }
            }
        }
        return found;
    }

    private static boolean isUnder(Element element, String name) {
        for (org.w3c.dom.Node parent = element.getParentNode(); parent != null; parent = parent.getParentNode()) {
            if (name.equals(parent.getNodeName())) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> coordinates(List<Element> dependencies) {
        Set<String> coordinates = new TreeSet<>();
        dependencies.forEach(dependency -> coordinates.add(coordinates(dependency)));
        return coordinates;
    }

    private static String coordinates(Element dependency) {
        return text(dependency, "groupId") + ":" + text(dependency, "artifactId");
    }

    private static @Nullable String text(Element dependency, String child) {
        NodeList children = dependency.getElementsByTagName(child);
        return (children.getLength() == 0)
                ? null
                : children.item(0).getTextContent().strip();
    }
}
