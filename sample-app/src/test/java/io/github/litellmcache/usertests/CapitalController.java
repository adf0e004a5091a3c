package io.github.litellmcache.usertests;

import io.github.litellmcache.completion.CompletionService;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The application's web API, answered through the injected {@link CompletionService}. */
@RestController
class CapitalController {

    private final CompletionService llm;

    CapitalController(CompletionService llm) {
        this.llm = llm;
    }

    @GetMapping("/capital")
    Mono<String> capital(@RequestParam String country) {
        return this.llm
                .acompletion(CapitalApplication.question(country))
                .map(answer -> String.valueOf(answer.content()));
    }
}
