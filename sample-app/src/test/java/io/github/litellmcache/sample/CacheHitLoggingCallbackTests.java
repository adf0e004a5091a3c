package io.github.litellmcache.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.litellmcache.cache.CallType;
import io.github.litellmcache.callback.CallEvent;
import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The line logged for each call, whose model name an HTTP client chooses. */
@ExtendWith(OutputCaptureExtension.class)
class CacheHitLoggingCallbackTests {

    @Test
    void aModelNameWithUnicodeLineBreaksForgesNoLogLine(CapturedOutput output) {
        String forging = "gpt\u0085INFO forged\u2028INFO forged\u2029INFO forged\nINFO forged";
        ChatCompletionRequest request = ChatCompletionRequest.builder()
                .model(forging)
                .message(ChatMessage.user("Hi"))
                .build();
        Instant now = Instant.now();

        new CacheHitLoggingCallback()
                .onSuccess(new CallEvent(
                        CallType.ACOMPLETION, forging, request, null, now, now, false, null, null, false));

        assertThat(output.getAll())
                .contains("model=gpt_INFO forged_INFO forged_INFO forged_INFO forged cache_hit=false")
                .doesNotContain("\u0085", "\u2028", "\u2029");
    }
}
