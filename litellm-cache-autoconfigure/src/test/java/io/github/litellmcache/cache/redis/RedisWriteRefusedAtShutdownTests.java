package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.CompletionService;
import io.github.litellmcache.testsupport.AbstractCachedApplicationTests;
import io.github.litellmcache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Against a real redis-server: the write of a call still running when the application shuts down, which the closed
 * backend refuses, is no outage, and is not warned about; a write Redis itself refuses still is.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisWriteRefusedAtShutdownTests extends AbstractCachedApplicationTests {

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    private final LoggingSystem loggingSystem = LoggingSystem.get(getClass().getClassLoader());

    private final ApplicationContextRunner contextRunner =
            applicationRunner().withPropertyValues(server.cacheProperties());

    @AfterEach
    void resetLogLevel() {
        this.loggingSystem.setLogLevel("io.github.litellmcache", null);
    }

    @Test
    void aWriteRefusedByTheBackendClosedAtShutdownIsLoggedAtDebugLevelNotWarnedAbout(CapturedOutput output) {
        this.loggingSystem.setLogLevel("io.github.litellmcache", LogLevel.DEBUG);
        this.provider.latency(Duration.ofMillis(500));
        this.contextRunner.run(context -> {
            CompletableFuture<ChatCompletion> call = context.getBean(CompletionService.class)
                    .acompletion(question("asked as the application stops"))
                    .toFuture();
            this.provider.awaitRequests(1);
            context.close();
            assertThat(call.get(10, TimeUnit.SECONDS).cacheHit()).isFalse();
            assertThat(writeLog(output))
                    .singleElement()
                    .asString()
                    .contains("DEBUG", "the backend is closed")
                    .doesNotContain("WARN");
        });
    }

    @Test
    void aWriteRefusedByARunningRedisIsStillWarnedAbout(CapturedOutput output) {
        this.contextRunner.run(context -> {
            server.admin().configSet("maxmemory", "1");
            try {
                context.getBean(CompletionService.class).completion(question("asked while Redis is out of memory"));
            } finally {
                server.admin().configSet("maxmemory", "0");
            }
            assertThat(writeLog(output)).singleElement().asString().contains("WARN", "OOM");
        });
    }

    private static List<String> writeLog(CapturedOutput output) {
        return output.getAll()
                .lines()
                .filter(line -> line.contains("Cache write on the redis cache backend"))
                .toList();
    }
}
