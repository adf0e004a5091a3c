package io.github.litellmcache.usertests;

import io.github.litellmcache.cache.LlmCache;
import io.github.litellmcache.completion.CompletionService;
import org.springframework.stereotype.Service;

/** What the application asks the model, and an action that clears the {@link LlmCache}. */
@Service
public class Capitals {

    private final CompletionService llm;

    private final LlmCache cache;

    Capitals(CompletionService llm, LlmCache cache) {
        this.llm = llm;
        this.cache = cache;
    }

    public String capitalOf(String country) {
        return this.llm.completion(CapitalApplication.question(country)).content();
    }

    /** Forgets every answer, say after a change of model. */
    public void forget() {
        this.cache.clear();
    }
}
