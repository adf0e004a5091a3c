package io.github.litellmcache.cache.engine;

import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.CacheKeyGenerator;
import io.github.litellmcache.cache.CallType;
import io.github.litellmcache.completion.EmbeddingRequest;
import io.github.litellmcache.completion.LlmRequest;
import io.github.litellmcache.display.ThrottledLog;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The keys of the {@link CacheKeyGenerator}, checked once before any backend sees them. A key that
 * is null, blank, longer than {@value #MAX_LENGTH} characters or holds a control character, U+FFFE or
 * U+FFFF (which S3 lists in XML that cannot be parsed) or an unpaired surrogate (which Redis and S3
 * would store as the {@code ?} of another key), or a
 * generator that throws, gives no key: the call then bypasses the cache instead of sharing one entry
 * (such as {@code litellm:null}) with every other request. Each such call is logged at most once a
 * minute, naming the generator and the reason, never the key, which derives from the prompt.
 */
final class CheckedKeys {

    /** The longest key: S3 object keys hold at most 1,024 bytes with the path and namespace. */
    static final int MAX_LENGTH = 512;

    private static final Log logger = LogFactory.getLog(CheckedKeys.class);

    private final CacheKeyGenerator generator;

    private final ThrottledLog refusals = new ThrottledLog(logger, Duration.ofMinutes(1));

    /**
     * The last key found usable: the same instance is not checked again, as the default generator
     * gives a repeated request the key it remembered. A stale value read by another thread only
     * costs a check.
     */
    private @Nullable String lastUsable;

    CheckedKeys(CacheKeyGenerator generator) {
        this.generator = generator;
    }

    /** The key of {@code request}, or null when the generator gave none that can be used. */
    @Nullable
    String keyOf(CallType callType, LlmRequest request) {
        String key;
        try {
            key = this.generator.generateKey(callType, request);
        } catch (RuntimeException ex) {
            return threw(ex);
        }
        return checked(key);
    }

    /**
     * The key of each text of {@code request}, prepared once for all of them; null for an item
     * when the generator gave none that can be used.
     */
    Function<String, @Nullable String> itemKeysOf(CallType callType, EmbeddingRequest request) {
        return checkedItemKeys(() -> this.generator.itemKeys(callType, request));
    }

    /** As {@link #itemKeysOf}, for the token arrays of {@code request}. */
    Function<List<Integer>, @Nullable String> tokenItemKeysOf(CallType callType, EmbeddingRequest request) {
        return checkedItemKeys(() -> this.generator.tokenItemKeys(callType, request));
    }

    private <T> Function<T, @Nullable String> checkedItemKeys(Supplier<Function<T, String>> generated) {
        Function<T, String> keys;
        try {
            keys = generated.get();
        } catch (RuntimeException ex) {
            threw(ex);
            return item -> null;
        }
        return item -> {
            try {
                return checked(keys.apply(item));
            } catch (RuntimeException ex) {
                return threw(ex);
            }
        };
    }

    private @Nullable String threw(RuntimeException ex) {
        refused("threw " + ex.getClass().getSimpleName());
        return null;
    }

    /** {@code key}, or null when it cannot be used. */
    private @Nullable String checked(@Nullable String key) {
        if (key != null && key == this.lastUsable) {
            return key;
        }
        String problem = problem(key);
        if (problem != null) {
            refused(problem);
            return null;
        }
        this.lastUsable = key;
        return key;
    }

    private static @Nullable String problem(@Nullable String key) {
        if (key == null || key.isBlank()) {
            return "returned no key (null or blank)";
        }
        if (key.length() > MAX_LENGTH) {
            return "returned a key of " + key.length() + " characters, more than " + MAX_LENGTH;
        }
        if (CacheKey.holdsUnlistableCharacter(key)) {
            return "returned a key with a control character, U+FFFE or U+FFFF";
        }
        if (CacheKey.unpairedSurrogate(key, 0) >= 0) {
            return "returned a key with an unpaired surrogate";
        }
        return null;
    }

    private void refused(String problem) {
        this.refusals.warn(
                () -> "The cache key generator " + this.generator.getClass().getName() + " " + problem
                        + ": such calls bypass the cache. Return a non-blank key of at most " + MAX_LENGTH
                        + " characters without control characters, U+FFFE, U+FFFF or unpaired surrogates.");
    }
}
