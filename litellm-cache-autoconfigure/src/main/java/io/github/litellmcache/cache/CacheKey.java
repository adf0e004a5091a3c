package io.github.litellmcache.cache;

import org.jspecify.annotations.Nullable;

/**
 * Where an entry is stored: the namespace, if any, and the key of the request. Entries of one
 * namespace are never served to another.
 *
 * @param namespace the namespace, or null
 * @param key the request's key, from the {@link CacheKeyGenerator}
 */
public record CacheKey(@Nullable String namespace, String key) {

    /**
     * {@code <namespace>:<key>}, or the key alone without a namespace; {@code %}, {@code :} and
     * {@code /} in the key are percent-encoded, so that no key names an entry of another namespace,
     * and a name holding {@code /} is never an entry's (a store keeps such names for itself).
     */
    public String qualified() {
        String key = escaped(this.key);
        return (this.namespace != null) ? this.namespace + ":" + key : key;
    }

    private static String escaped(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '%' || c == ':' || c == '/') {
                return key.replace("%", "%25").replace(":", "%3A").replace("/", "%2F");
            }
        }
        return key;
    }

    /**
     * The index of the first surrogate at or after {@code from} in {@code text} that is not half of a
     * pair, or -1: written as UTF-8 it becomes {@code ?}, so a name holding one would name the entry of
     * the name with {@code ?} in its place in a store outside the process.
     */
    public static int unpairedSurrogate(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether {@code text} holds a character that S3 lists in XML no parser reads: a control character,
     * U+FFFE or U+FFFF. An object named with one makes every {@code clear()} under its path fail.
     */
    public static boolean holdsUnlistableCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || c == '\uFFFE' || c == '\uFFFF') {
                return true;
            }
        }
        return false;
    }

    /** Names the namespace only: keys are derived from request content and stay out of logs. */
    @Override
    public String toString() {
        return "CacheKey[namespace=" + this.namespace + "]";
    }
}
