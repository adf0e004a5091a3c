package io.github.litellmcache.cache.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpService;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.apache5.Apache5SdkHttpService;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * The dedicated client's HTTP client is the one the AWS SDK would pick, also when several synchronous implementations
 * are on the classpath: the one named by the SDK's system property, else the SDK's preference (Apache HttpClient 5
 * first), and an implementation the SDK does not rank comes last.
 */
class S3HttpClientDiscoveryTests {

    private final SdkHttpService apache5 = new Apache5SdkHttpService();

    private final SdkHttpService other = new OtherHttpService();

    @Test
    void theOnlyImplementationOnTheClasspathIsFound() {
        ClasspathHttpClientBuilder builder = ClasspathHttpClientBuilder.find(AttributeMap.empty());
        assertThat(builder).isNotNull();
        try (SdkHttpClient client = builder.build()) {
            assertThat(client).isInstanceOf(Apache5HttpClient.class);
        }
    }

    @Test
    void severalImplementationsPreferApacheHttpClient5LikeTheSdk() {
        assertThat(ClasspathHttpClientBuilder.choose(List.of(this.other, this.apache5), null))
                .isSameAs(this.apache5);
        assertThat(ClasspathHttpClientBuilder.choose(List.of(this.apache5, this.other), null))
                .isSameAs(this.apache5);
    }

    @Test
    void theSdkSystemPropertyChoosesAmongSeveralImplementations() {
        assertThat(ClasspathHttpClientBuilder.choose(
                        List.of(this.apache5, this.other), OtherHttpService.class.getName()))
                .isSameAs(this.other);
    }

    @Test
    void noImplementationIsNone() {
        assertThat(ClasspathHttpClientBuilder.choose(List.of(), null)).isNull();
    }

    /** An implementation the SDK does not rank, never built. */
    private static final class OtherHttpService implements SdkHttpService {

        @Override
        public SdkHttpClient.Builder createHttpClientBuilder() {
            throw new UnsupportedOperationException("only chosen, never built");
        }
    }
}
