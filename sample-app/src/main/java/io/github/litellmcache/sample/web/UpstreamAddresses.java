package io.github.litellmcache.sample.web;

import java.net.URI;
import java.util.Collection;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Hides where the providers are from provider errors sent to clients: URLs, IP addresses (with
 * their ports) and the hosts of the configured API bases become {@value #HIDDEN}, so that a 502
 * never tells a client the address of an internal endpoint.
 */
final class UpstreamAddresses {

    static final String HIDDEN = "(address hidden)";

    private static final Pattern URL = Pattern.compile("\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s'\"<>]*[^\\s'\"<>.,:;)\\]]");

    private static final String PORT = "(?::\\d{1,5})?";

    private static final String IP = "(?:\\d{1,3}\\.){3}\\d{1,3}" + PORT + "|\\[[0-9a-fA-F:.%]+\\]" + PORT;

    private final Pattern hosts;

    /** @param apiBases the configured API base URLs, whose hosts are hidden wherever they appear */
    UpstreamAddresses(Collection<String> apiBases) {
        String named = apiBases.stream()
                .map(UpstreamAddresses::host)
                .filter(Objects::nonNull)
                .map(host -> Pattern.quote(host) + PORT)
                .collect(Collectors.joining("|"));
        String any = Stream.of(IP, "localhost" + PORT, named)
                .filter(part -> !part.isEmpty())
                .collect(Collectors.joining("|"));
        this.hosts = Pattern.compile("(?<![\\w.-])/?(?:" + any + ")(?![\\w.-])", Pattern.CASE_INSENSITIVE);
    }

    String hide(String message) {
        String withoutUrls = URL.matcher(message).replaceAll(HIDDEN);
        return this.hosts.matcher(withoutUrls).replaceAll(HIDDEN);
    }

    private static @Nullable String host(String apiBase) {
        try {
            return URI.create(apiBase).getHost();
        } catch (IllegalArgumentException notAUri) {
            return null;
        }
    }
}
