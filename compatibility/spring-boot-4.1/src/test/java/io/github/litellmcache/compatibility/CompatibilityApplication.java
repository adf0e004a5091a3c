package io.github.litellmcache.compatibility;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An application on Spring Boot 4.1 with nothing of its own but its {@code application.properties}: the starter's
 * auto-configuration is all it has.
 */
@SpringBootApplication
public class CompatibilityApplication {}
