package io.github.litellmcache.compatibility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.awspring.cloud.s3.S3Template;
import io.github.litellmcache.testsupport.S3ProxyServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The starter's S3 cache in an application on Spring Boot 4.1, through the application's own {@code S3Client}
 * ({@code spring.cloud.aws.*}, with {@code spring-cloud-aws-starter-s3} and the Spring Cloud AWS BOM as the README
 * tells a user to add them, and switched on: {@code application.properties} switches it off for the other cache
 * types), on an s3proxy of the class's own.
 */
class S3CacheOnSpringBoot41Tests extends StarterOnSpringBoot41 {

    @RegisterExtension
    static final S3ProxyServerExtension s3 = S3ProxyServerExtension.withBucket("compatibility");

    @BeforeAll
    static void startOnS3() {
        List<String> properties = new ArrayList<>(List.of(
                "litellm.cache.type=s3",
                "litellm.cache.s3.bucket-name=" + s3.bucket(),
                "spring.cloud.aws.s3.enabled=true"));
        properties.addAll(List.of(s3.applicationClientProperties()));
        start(properties.toArray(String[]::new));
    }

    @Test
    void aChatAnswerIsStoredAsAnObjectInTheBucket() {
        llm().completion(question());

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(s3.keys()).hasSize(1));
    }

    @Test
    void theSpringCloudAwsBomIsTheOneTheLibraryIsBuiltWith() throws IOException {
        Matcher root = Pattern.compile("<spring-cloud-aws.version>([^<]+)</spring-cloud-aws.version>")
                .matcher(Files.readString(Path.of("..", "..", "pom.xml")));

        assertThat(root.find()).as("spring-cloud-aws.version in the root pom").isTrue();
        assertThat(S3Template.class.getPackage().getImplementationVersion())
                .as("this module's Spring Cloud AWS BOM, which must match the root pom's")
                .isEqualTo(root.group(1));
    }
}
