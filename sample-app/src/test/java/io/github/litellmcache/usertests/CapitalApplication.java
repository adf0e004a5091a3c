package io.github.litellmcache.usertests;

import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An application as a user of the library writes one, for the tests it writes of it in turn: a service
 * ({@link Capitals}) and a controller ({@link CapitalController}) that ask through the injected
 * {@code CompletionService}. It lives outside the sample app's package, so that the sample app's own tests never scan
 * it.
 */
@SpringBootApplication
public class CapitalApplication {

    /** The question asked for {@code country}: the same request each time. */
    public static ChatCompletionRequest question(String country) {
        return ChatCompletionRequest.builder()
                .model("gpt-4o-mini")
                .message(ChatMessage.user("What is the capital of " + country + "?"))
                .build();
    }
}
