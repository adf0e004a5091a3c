package io.github.litellmcache.cache.s3;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpService;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * The synchronous HTTP client of the AWS SDK found on the classpath, as the SDK would find it (Apache HttpClient 5,
 * which {@code spring-cloud-aws-starter-s3} brings), built with extra HTTP settings such as the TLS trust of
 * {@code verify}, so that no HTTP implementation is named here. The SDK offers no public way to add settings to the
 * client it discovers itself (its loader is internal), so this looks up its public {@link SdkHttpService} SPI the same
 * way: the implementation named by the system property {@value #IMPL_PROPERTY} first, then, when several are present,
 * the SDK's order of preference. The settings reach the implementation through
 * {@link SdkHttpClient.Builder#buildWithDefaults(AttributeMap)}, the SDK's documented way to pass
 * {@code SdkHttpConfigurationOption} values such as {@code TRUST_ALL_CERTIFICATES}.
 */
final class ClasspathHttpClientBuilder implements SdkHttpClient.Builder<ClasspathHttpClientBuilder> {

    /** The SDK's system property naming the synchronous HTTP service to use. */
    static final String IMPL_PROPERTY = "software.amazon.awssdk.http.service.impl";

    /** The SDK's order of preference when several synchronous HTTP implementations are on the classpath. */
    private static final List<String> PREFERENCE = List.of(
            "software.amazon.awssdk.http.apache5.Apache5SdkHttpService",
            "software.amazon.awssdk.http.apache.ApacheSdkHttpService",
            "software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService",
            "software.amazon.awssdk.http.crt.AwsCrtSdkHttpService");

    private final SdkHttpService service;

    private final AttributeMap settings;

    private ClasspathHttpClientBuilder(SdkHttpService service, AttributeMap settings) {
        this.service = service;
        this.settings = settings;
    }

    /**
     * The builder of the HTTP client found on the classpath, which adds {@code settings} (keys of
     * {@code SdkHttpConfigurationOption}) to the SDK's defaults; null when the classpath has no synchronous HTTP client.
     */
    static @Nullable ClasspathHttpClientBuilder find(AttributeMap settings) {
        SdkHttpService service = choose(services(), System.getProperty(IMPL_PROPERTY));
        return (service != null) ? new ClasspathHttpClientBuilder(service, settings) : null;
    }

    /** The service the SDK would choose among {@code services}: the one {@code named}, else by its preference. */
    static @Nullable SdkHttpService choose(List<SdkHttpService> services, @Nullable String named) {
        return services.stream()
                .min(Comparator.comparingInt(service -> rank(service.getClass().getName(), named)))
                .orElse(null);
    }

    private static int rank(String className, @Nullable String named) {
        if (className.equals(named)) {
            return -1;
        }
        int index = PREFERENCE.indexOf(className);
        return (index >= 0) ? index : PREFERENCE.size();
    }

    /** The services declared on the thread's class loader, as the SDK loads them; one that cannot load is skipped. */
    private static List<SdkHttpService> services() {
        List<SdkHttpService> services = new ArrayList<>();
        Iterator<SdkHttpService> iterator =
                ServiceLoader.load(SdkHttpService.class).iterator();
        while (true) {
            try {
                if (!iterator.hasNext()) {
                    return services;
                }
                services.add(iterator.next());
            } catch (ServiceConfigurationError declaredButNotLoadable) {
                continue;
            }
        }
    }

    @Override
    public SdkHttpClient buildWithDefaults(AttributeMap serviceDefaults) {
        return this.service.createHttpClientBuilder().buildWithDefaults(this.settings.merge(serviceDefaults));
    }
}
