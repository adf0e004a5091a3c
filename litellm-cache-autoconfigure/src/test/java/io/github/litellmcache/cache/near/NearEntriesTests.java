package io.github.litellmcache.cache.near;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CacheEntries;
import io.github.litellmcache.cache.CacheEntry;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** When the near tier is emptied, suspended and resumed. */
class NearEntriesTests {

    private final NearEntries entries = new NearEntries(DataSize.ofMegabytes(1), true);

    private final CacheEntry entry = CacheEntries.answering("x");

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
