package io.github.litellmcache.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatMessage;
import io.github.litellmcache.completion.Usage;
import io.github.litellmcache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An entry answers only the key it was stored for: the value of one key copied under another key's name (by a
 * script, a migration, or someone who can write into the store) is a miss there, not the first key's answer.
 */
class EntryUnderAnotherKeysNameTests {

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    @Test
    @Disabled("finding: the envelope does not name its key, so a value copied under another key answers that key")
    void aValueCopiedUnderAnotherKeysNameIsAMissThereNotTheOtherKeysAnswer() {
        try (RedisCacheBackend redis =
                RedisCacheBackend.dedicated("127.0.0.1", server.port(), null, "litellm:", Duration.ofSeconds(2))) {
            CacheKey paris = new CacheKey(null, "capital-of-france");
            CacheKey rome = new CacheKey(null, "capital-of-italy");
            redis.put(paris, entry("Paris"), null);
            server.admin().set(redis.redisKey(rome), server.admin().get(redis.redisKey(paris)));

            assertThat(redis.get(rome))
                    .as("the entry read under the other key's name")
                    .isNull();
        }
    }

    private static CacheEntry entry(String content) {
        return new CacheEntry(
                new ChatCompletion(
                        "chatcmpl-copied",
                        1_700_000_000L,
                        "gpt-4o-mini",
                        List.of(new ChatCompletion.Choice(0, ChatMessage.assistant(content), "stop")),
                        new Usage(5, 7, 12),
                        null),
                Instant.now());
    }
}
