package io.github.litellmcache.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.CompletionService;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The library's jar, as an application gets it, names the module that an application on the module path requires
 * ({@code requires io.github.litellmcache;}), whatever the jar's file is called.
 */
class LibraryOnTheModulePathTests {

    @Test
    void theLibrarysJarNamesItsModule() throws Exception {
        Path jar = Path.of(CompletionService.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());

        assertThat(jar.getFileName().toString())
                .as("the library as a dependency: its jar")
                .endsWith(".jar");
        assertThat(ModuleFinder.of(jar).findAll())
                .singleElement()
                .extracting(ModuleReference::descriptor)
                .satisfies(module -> {
                    assertThat(module.name()).isEqualTo("io.github.litellmcache");
                    assertThat(module.isAutomatic()).isTrue();
                    assertThat(module.packages()).contains("io.github.litellmcache.completion");
                });
    }
}
