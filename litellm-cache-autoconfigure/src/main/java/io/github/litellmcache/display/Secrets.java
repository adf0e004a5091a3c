package io.github.litellmcache.display;

import java.util.Collection;
import org.jspecify.annotations.Nullable;

/** Keeps secrets (passwords, API keys, AWS credentials) out of what is shown: one mask for the whole library. */
public final class Secrets {

    /** What a secret is shown as. */
    public static final String MASK = "******";

    private Secrets() {}

    /** {@value #MASK} when {@code secret} is set, null when it is null or empty, so that "unset" stays visible. */
    public static @Nullable String mask(@Nullable String secret) {
        return (secret != null && !secret.isEmpty()) ? MASK : null;
    }

    /**
     * {@code address} (a URL or host as configured) with the user information it may hold masked: everything up to its
     * last {@code @}, so that {@code redis://:pw@host} is shown as {@code ******@host}.
     */
    public static String withoutUserInfo(String address) {
        int at = address.lastIndexOf('@');
        return (at < 0) ? address : MASK + address.substring(at);
    }

    /** {@code text} with every non-blank one of {@code secrets} replaced by {@value #MASK}. */
    public static String redact(String text, Collection<@Nullable String> secrets) {
        String redacted = text;
        for (String secret : secrets) {
            if (secret != null && !secret.isBlank()) {
                redacted = redacted.replace(secret, MASK);
            }
        }
        return redacted;
    }
}
