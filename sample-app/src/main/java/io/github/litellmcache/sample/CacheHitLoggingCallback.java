package io.github.litellmcache.sample;

import io.github.litellmcache.callback.CallEvent;
import io.github.litellmcache.callback.CompletionCallback;
import io.github.litellmcache.completion.LlmException;
import io.github.litellmcache.display.LogText;
import java.time.Duration;
import java.util.Locale;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Component;

/**
 * Logs one line per call with its cache outcome (LiteLLM's logging callback that reads
 * {@code kwargs["cache_hit"]}), for example
 * {@code acompletion model=gpt-4o-mini cache_hit=true latency=3ms}. It never logs the prompt, the
 * cache key or a secret.
 */
@Component
class CacheHitLoggingCallback implements CompletionCallback {

    private static final Log logger = LogFactory.getLog(CacheHitLoggingCallback.class);

    @Override
    public void onSuccess(CallEvent event) {
        if (logger.isInfoEnabled()) {
            logger.info(describe(event) + " cache_hit=" + event.cacheHit() + " latency=" + latency(event) + "ms");
        }
    }

    @Override
    public void onFailure(CallEvent event) {
        if (logger.isWarnEnabled()) {
            logger.warn(describe(event) + " failed=" + failure(event) + " latency=" + latency(event) + "ms");
        }
    }

    private static String describe(CallEvent event) {
        return event.callType().name().toLowerCase(Locale.ROOT) + " model=" + LogText.printable(event.model());
    }

    private static long latency(CallEvent event) {
        return Duration.between(event.startTime(), event.endTime()).toMillis();
    }

    /** The kind of error and the provider's status, never its message, which may quote the request. */
    private static String failure(CallEvent event) {
        Throwable error = event.error();
        if (error instanceof LlmException llm) {
            return "LlmException status=" + llm.statusCode();
        }
        return (error != null) ? error.getClass().getSimpleName() : "unknown";
    }
}
