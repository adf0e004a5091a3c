package io.github.litellmcache.cache.near;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatMessage;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** When the near tier is emptied, suspended and resumed. */
class NearEntriesTests {

    private final NearEntries entries = new NearEntries(DataSize.ofMegabytes(1), true);

    private final CacheEntry entry = new CacheEntry(
            new ChatCompletion(
                    "id",
                    1L,
                    "m",
                    List.of(new ChatCompletion.Choice(0, ChatMessage.assistant("x"), "stop")),
                    null,
                    null),
            Instant.now());

    /** A cluster's topology that changed elsewhere (a replica added) resumes a tier that all connections track. */
    @Test
    void aResumeOfATierInUseKeepsItsEntries() {
        this.entries.put(this.entries.stamp("k"), this.entry, Long.MAX_VALUE);

        this.entries.resume(this.entries.suspensions());

        assertThat(this.entries.get("k")).isSameAs(this.entry);
    }

    /** A connection that drops between the owner's check that all track and the resume. */
    @Test
    void aSuspensionAfterTheDecisionToResumeKeepsTheTierSuspended() {
        this.entries.suspend();
        long decidedAt = this.entries.suspensions();
        this.entries.suspend();

        this.entries.resume(decidedAt);

        assertThat(this.entries.isUsable()).isFalse();
        this.entries.resume(this.entries.suspensions());
        assertThat(this.entries.isUsable()).isTrue();
    }
}
