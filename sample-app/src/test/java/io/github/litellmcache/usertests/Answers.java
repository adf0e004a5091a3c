package io.github.litellmcache.usertests;

import io.github.litellmcache.completion.ChatCompletion;
import io.github.litellmcache.completion.ChatMessage;
import java.util.List;

/** Answers that tests stub a mocked {@code CompletionService} with. */
final class Answers {

    private Answers() {}

    static ChatCompletion answer(String text) {
        return new ChatCompletion(
                "chatcmpl-" + text,
                1_700_000_000L,
                "gpt-4o-mini",
                List.of(new ChatCompletion.Choice(0, ChatMessage.assistant(text), "stop")),
                null,
                null);
    }
}
