package io.github.litellmcache.autoconfigure;

import io.github.litellmcache.cache.CacheConfigurationException;
import io.github.litellmcache.cache.DurationSettings;
import io.github.litellmcache.cache.SizeSettings;
import io.github.litellmcache.display.Secrets;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.UnboundElementsSourceFilter;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the providers ({@code litellm.request-timeout}, {@code litellm.max-response-size},
 * {@code litellm.openai.*}, {@code litellm.azure.*}, {@code litellm.mock.*}). Bound by Spring, it refuses any other
 * property under {@code litellm.}, as {@code litellm.cache.*} refuses its own: a misspelt {@code api-base}, ignored,
 * would send every call, and its prompt, to OpenAI.
 */
@ConfigurationProperties(LiteLlmProviderProperties.PREFIX)
public class LiteLlmProviderProperties implements EnvironmentAware, InitializingBean {

    public static final String PREFIX = "litellm";

    private static final ConfigurationPropertyName CACHE = ConfigurationPropertyName.of(LiteLlmCacheProperties.PREFIX);

    private @Nullable Environment environment;

    /** The default of {@link #getMaxResponseSize()}. */
    public static final DataSize DEFAULT_MAX_RESPONSE_SIZE = DataSize.ofMegabytes(64);

    /** The largest buffer of a WebClient codec, whose size is an {@code int}. */
    private static final DataSize LARGEST_BUFFER = DataSize.ofMegabytes(2047);

    /**
     * Longest a provider call may take when the request sets no timeout, at most 3650 days; for a stream, the longest
     * wait for its first chunk and between two chunks.
     */
    private Duration requestTimeout = Duration.ofMinutes(10);

    /**
     * Largest provider answer read, which is read whole: a batch of embeddings is the largest (2,048 vectors of 3,072
     * dimensions are 32 MB in the base64 encoding the client asks for). The provider client's buffer limit, in place of
     * spring.http.codecs.max-in-memory-size (256KB unless set), at most 2047MB.
     */
    private DataSize maxResponseSize = DEFAULT_MAX_RESPONSE_SIZE;

    private final OpenAi openai = new OpenAi();

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    /**
     * Binds the environment's {@code litellm.*} properties, but {@code litellm.cache.*}, once more, refusing those
     * that name no provider setting (environment variables and system properties aside, as Spring Boot does): a
     * {@link org.springframework.boot.context.properties.bind.BindException} that {@link LiteLlmCacheFailureAnalyzer}
     * shows with their names, never their values.
     */
    @Override
    public void afterPropertiesSet() {
        if (this.environment == null) {
            return;
        }
        Binder providers = new Binder(StreamSupport.stream(
                        ConfigurationPropertySources.get(this.environment).spliterator(), false)
                .map(source -> source.filter(name -> !CACHE.equals(name) && !CACHE.isAncestorOf(name)))
                .toList());
        providers.bind(
                PREFIX,
                Bindable.ofInstance(new LiteLlmProviderProperties()),
                new NoUnboundElementsBindHandler(BindHandler.DEFAULT, new UnboundElementsSourceFilter()));
    }

    public DataSize getMaxResponseSize() {
        return this.maxResponseSize;
    }

    public void setMaxResponseSize(DataSize maxResponseSize) {
        this.maxResponseSize = SizeSettings.positive(
                maxResponseSize, LARGEST_BUFFER, "litellm.max-response-size", "maxResponseSize", "64MB");
    }

    public Duration getRequestTimeout() {
        return this.requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout =
                DurationSettings.positive(requestTimeout, "litellm.request-timeout", "requestTimeout", "10m");
    }

    private final Azure azure = new Azure();

    private final Mock mock = new Mock();

    public OpenAi getOpenai() {
        return this.openai;
    }

    public Azure getAzure() {
        return this.azure;
    }

    public Mock getMock() {
        return this.mock;
    }

    /**
     * {@code apiBase} stripped of surrounding whitespace; blank as given (unset).
     *
     * @throws CacheConfigurationException naming {@code property} when it is not an absolute http or https URL, on
     *     which every call would fail; the value is shown without its credentials and query, and not at all when it
     *     has no scheme (an API key set in its place has none)
     */
    static @Nullable String apiBase(@Nullable String apiBase, String property) {
        if (apiBase == null || apiBase.isBlank()) {
            return apiBase;
        }
        String url = apiBase.strip();
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException ex) {
            uri = null;
        }
        if (uri == null
                || uri.getHost() == null
                || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw CacheConfigurationException.invalid(
                    property, "apiBase", shown(url), "an absolute http or https URL such as https://api.openai.com/v1");
        }
        return url;
    }

    /** {@code url} without the credentials and query it may hold; a mask when it has no scheme, as a secret has none. */
    private static String shown(String url) {
        return url.contains("://") ? Secrets.withoutUserInfo(url.replaceFirst("[?#].*", "")) : Secrets.MASK;
    }

    /** An OpenAI-compatible API (OpenAI, vLLM, Ollama, ...), for models without a prefix or with openai/. */
    public static class OpenAi {

        /** API key, sent as a bearer token; unset means the OPENAI_API_KEY environment variable. */
        private @Nullable String apiKey;

        private static final String DEFAULT_API_BASE = "https://api.openai.com/v1";

        /** Base URL of the API; blank means OpenAI's. */
        private String apiBase = DEFAULT_API_BASE;

        public @Nullable String getApiKey() {
            return this.apiKey;
        }

        public void setApiKey(@Nullable String apiKey) {
            this.apiKey = apiKey;
        }

        public String getApiBase() {
            return this.apiBase;
        }

        public void setApiBase(@Nullable String apiBase) {
            String url = apiBase(apiBase, PREFIX + ".openai.api-base");
            this.apiBase = (url == null || url.isBlank()) ? DEFAULT_API_BASE : url;
        }
    }

    /** Azure OpenAI, for models with the azure/ prefix. */
    public static class Azure {

        /** API key, sent in the api-key header; unset means the AZURE_API_KEY environment variable. */
        private @Nullable String apiKey;

        /** Base URL of the resource, such as https://my-resource.openai.azure.com; unset means AZURE_API_BASE. */
        private @Nullable String apiBase;

        /** API version, such as 2024-10-21; unset means AZURE_API_VERSION. */
        private @Nullable String apiVersion;

        public @Nullable String getApiKey() {
            return this.apiKey;
        }

        public void setApiKey(@Nullable String apiKey) {
            this.apiKey = apiKey;
        }

        public @Nullable String getApiBase() {
            return this.apiBase;
        }

        public void setApiBase(@Nullable String apiBase) {
            this.apiBase = apiBase(apiBase, PREFIX + ".azure.api-base");
        }

        public @Nullable String getApiVersion() {
            return this.apiVersion;
        }

        public void setApiVersion(@Nullable String apiVersion) {
            this.apiVersion = apiVersion;
        }
    }

    /** The built-in mock provider, which answers without any network call. */
    public static class Mock {

        /** Whether every call is answered by the mock provider. */
        private boolean enabled;

        /** Simulated latency of the mock provider, at most 3650 days. */
        private Duration latency = Duration.ZERO;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getLatency() {
            return this.latency;
        }

        public void setLatency(Duration latency) {
            this.latency = Objects.requireNonNull(
                    DurationSettings.zeroOrPositive(latency, "litellm.mock.latency", "latency", "20ms"));
        }
    }
}
