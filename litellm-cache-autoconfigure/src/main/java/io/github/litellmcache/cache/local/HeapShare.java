package io.github.litellmcache.cache.local;

import io.github.litellmcache.display.PropertyValues;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.util.unit.DataSize;

/**
 * Warns of an in-process memory bound set above half of the JVM's maximum heap: a cache allowed to fill that much
 * leaves the application too little heap, and may run it out of memory before it evicts.
 */
public final class HeapShare {

    private static final Log logger = LogFactory.getLog(HeapShare.class);

    private HeapShare() {}

    /** Logs a warning naming {@code property} when {@code maxMemory} is more than half of the JVM's maximum heap. */
    public static void warnIfOverHalfOfTheHeap(DataSize maxMemory, String property) {
        long maxHeap = Runtime.getRuntime().maxMemory();
        if (maxHeap != Long.MAX_VALUE && maxMemory.toBytes() > maxHeap / 2) {
            logger.warn(property + " (" + PropertyValues.of(maxMemory) + ") is more than half of this JVM's maximum"
                    + " heap (" + (maxHeap >> 20) + "MB): a cache that fills up may leave the application out of memory"
                    + " before it evicts. Lower " + property + ", or give the JVM a larger heap (-Xmx).");
        }
    }
}
