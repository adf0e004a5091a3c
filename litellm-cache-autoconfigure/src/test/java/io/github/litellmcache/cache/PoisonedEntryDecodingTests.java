package io.github.litellmcache.cache;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A value written into the store by someone else decodes to an entry or to a miss, never to an exception. */
class PoisonedEntryDecodingTests {

    private final CacheEntryCodec codec = new CacheEntryCodec();

    @Test
    void anEnvelopeWhoseChunksHoldANullDecodesToAMissInsteadOfThrowing() {
        byte[] poisoned = ("{\"format\":2,\"stored_at\":1732611234123,\"type\":\"chat.completion\","
                        + "\"chunks\":[null],\"response\":{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1,"
                        + "\"model\":\"m\",\"choices\":[]}}")
                .getBytes(StandardCharsets.UTF_8);
        assertThatCode(() -> this.codec.decode(poisoned)).doesNotThrowAnyException();
    }
}
