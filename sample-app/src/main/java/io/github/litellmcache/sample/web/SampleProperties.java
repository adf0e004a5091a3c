package io.github.litellmcache.sample.web;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** Settings of the sample's OpenAI-compatible endpoint ({@code sample.*}). */
@ConfigurationProperties("sample")
public class SampleProperties {

    /** Model names listed by {@code GET /v1/models}. */
    private List<String> models = List.of("gpt-4o-mini", "text-embedding-3-small");

    private final Limits limits = new Limits();

    private final Cache cache = new Cache();

    public List<String> getModels() {
        return this.models;
    }

    public void setModels(List<String> models) {
        this.models = models;
    }

    public Limits getLimits() {
        return this.limits;
    }

    public Cache getCache() {
        return this.cache;
    }

    /**
     * Bounds of one request body, checked before anything is cached or sent, so that no client can
     * make the application hold or hash more than this per call.
     */
    public static class Limits {

        /** Largest request body; a larger one is refused with 413 before it is read. */
        private DataSize maxBodySize = DataSize.ofMegabytes(4);

        /** Deepest nesting of JSON objects and arrays in a request body. */
        private int maxNestingDepth = 64;

        /** Longest JSON string in a request body, in characters. */
        private int maxStringLength = 1_000_000;

        /** Most messages in one chat completion request. */
        private int maxMessages = 2048;

        /** Most items in the {@code input} of one embedding request. */
        private int maxInputItems = 2048;

        public DataSize getMaxBodySize() {
            return this.maxBodySize;
        }

        public void setMaxBodySize(DataSize maxBodySize) {
            this.maxBodySize = maxBodySize;
        }

        public int getMaxNestingDepth() {
            return this.maxNestingDepth;
        }

        public void setMaxNestingDepth(int maxNestingDepth) {
            this.maxNestingDepth = maxNestingDepth;
        }

        public int getMaxStringLength() {
            return this.maxStringLength;
        }

        public void setMaxStringLength(int maxStringLength) {
            this.maxStringLength = maxStringLength;
        }

        public int getMaxMessages() {
            return this.maxMessages;
        }

        public void setMaxMessages(int maxMessages) {
            this.maxMessages = maxMessages;
        }

        public int getMaxInputItems() {
            return this.maxInputItems;
        }

        public void setMaxInputItems(int maxInputItems) {
            this.maxInputItems = maxInputItems;
        }
    }

    /** Who shares cache entries. */
    public static class Cache {

        /**
         * Whether callers with different API keys share entries. When false, the hash of the caller's
         * bearer token joins the namespace, so that one client never reads another's entries.
         */
        private boolean sharedAcrossApiKeys;

        public boolean isSharedAcrossApiKeys() {
            return this.sharedAcrossApiKeys;
        }

        public void setSharedAcrossApiKeys(boolean sharedAcrossApiKeys) {
            this.sharedAcrossApiKeys = sharedAcrossApiKeys;
        }
    }
}
