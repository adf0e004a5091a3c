package io.github.litellmcache.completion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatCompletionChunksTests {

    private static final Map<String, Object> LOGPROBS =
            Map.of("content", List.of(Map.of("token", "Paris", "logprob", -0.5)));

    /**
     * Azure's asynchronous content filter sends a chunk whose choice has no {@code delta}, only its filter results;
     * {@code content()} is then null, as the contract says of a choice without text, for a completion's choice without
     * a message too.
     */
    @Test
    void contentOfAChoiceWithoutADeltaOrAMessageIsNull() {
        ChatCompletionChunk filtered = WireFormat.jsonMapper()
                .readValue(
                        "{\"id\":\"c\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
                                + "\"finish_reason\":null,\"content_filter_results\":{}}]}",
                        ChatCompletionChunk.class);
        ChatCompletion withoutMessage = new ChatCompletion(
                "c", 1, "m", List.of(new ChatCompletion.Choice(0, null, "content_filter")), null, null);

        assertThat(filtered.choices().get(0).delta()).isNull();
        assertThat(filtered.content()).isNull();
        assertThat(withoutMessage.content()).isNull();
    }

    @Test
    void completionSplitIntoChunksAssemblesBackWithEveryField() {
        Map<String, Object> messageFields = new LinkedHashMap<>();
        messageFields.put("refusal", null);
        messageFields.put("reasoning_content", "Think.");
        messageFields.put("x_trace", Map.of("id", 7));
        ChatCompletion completion = new ChatCompletion(
                "chatcmpl-1",
                1L,
                "m",
                List.of(new ChatCompletion.Choice(
                        0,
                        ChatMessage.assistant("Paris").withExtraFields(messageFields),
                        "stop",
                        Map.of("logprobs", LOGPROBS))),
                new Usage(3, 1, 4, Map.of("prompt_tokens_details", Map.of("cached_tokens", 2))),
                "fp_1",
                Map.of("service_tier", "default"));

        List<ChatCompletionChunk> chunks = ChatCompletionChunks.split(completion, true);

        assertThat(chunks)
                .allSatisfy(chunk -> assertThat(chunk.extraFields())
                        .containsEntry("service_tier", "default")
                        .containsEntry("system_fingerprint", "fp_1"));
        assertThat(ChatCompletionChunks.assemble(chunks)).isEqualTo(completion);
    }

    @Test
    void aSplitAskedForUsageEndsWithAChunkWithoutChoicesCarryingItAfterEveryChoiceFinished() {
        Usage usage = new Usage(3, 2, 5);
        ChatCompletion completion = new ChatCompletion(
                "chatcmpl-2",
                1L,
                "m",
                List.of(
                        new ChatCompletion.Choice(0, ChatMessage.assistant("Paris"), "stop"),
                        new ChatCompletion.Choice(1, ChatMessage.assistant("Lyon"), "stop")),
                usage,
                null);

        List<ChatCompletionChunk> withUsage = ChatCompletionChunks.split(completion, true);
        List<ChatCompletionChunk> without = ChatCompletionChunks.split(completion, false);

        ChatCompletionChunk last = withUsage.get(withUsage.size() - 1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage()).isEqualTo(usage);
        assertThat(withUsage.subList(0, withUsage.size() - 1)).isEqualTo(without);
        assertThat(without).allSatisfy(chunk -> {
            assertThat(chunk.usage()).isNull();
            assertThat(chunk.choices()).hasSize(1);
        });
        assertThat(ChatCompletionChunks.assemble(withUsage)).isEqualTo(completion);
        assertThat(ChatCompletionChunks.assemble(without).usage()).isNull();
    }

    @Test
    void aCompletionTakenFromAnAssemblyIsNotChangedByTheChunksAddedAfterIt() {
        List<ChatCompletionChunk> chunks = List.of(
                chunk(delta(Map.of("reasoning_content", "Thi")), Map.of("logprobs", LOGPROBS), null),
                chunk(delta(Map.of("reasoning_content", "nk.")), Map.of("logprobs", LOGPROBS), null),
                chunk(delta(Map.of("reasoning_content", " More.")), Map.of("logprobs", LOGPROBS), null),
                chunk(new ChatCompletionChunk.Delta(null, "Paris"), Map.of("logprobs", LOGPROBS), "stop"));
        ChatCompletionChunks.Assembly assembly = new ChatCompletionChunks.Assembly();
        chunks.subList(0, 2).forEach(assembly::add);

        ChatCompletion midway = assembly.completion();
        chunks.subList(2, 4).forEach(assembly::add);

        assertThat(midway).isEqualTo(ChatCompletionChunks.assemble(chunks.subList(0, 2)));
        assertThat(midway.choices().get(0).message().reasoningContent()).isEqualTo("Think.");
        assertThat((List<?>) midway.choices().get(0).logprobs().get("content")).hasSize(2);
        assertThat(assembly.isComplete()).isTrue();
        assertThat(assembly.completion()).isEqualTo(ChatCompletionChunks.assemble(chunks));
        assertThat(assembly.completion().choices().get(0).message().reasoningContent())
                .isEqualTo("Think. More.");
        assertThat((List<?>) chunks.get(0).choices().get(0).logprobs().get("content"))
                .as("a chunk's own logprobs are never appended to")
                .hasSize(1);
    }

    @Test
    void assemblyConcatenatesReasoningRefusalAndLogprobsAndKeepsTheLastUsage() {
        Usage usage = new Usage(3, 2, 5, Map.of("completion_tokens_details", Map.of("reasoning_tokens", 1)));
        List<ChatCompletionChunk> chunks = List.of(
                chunk(delta(Map.of("reasoning_content", "Thi")), null, null),
                chunk(delta(Map.of("reasoning_content", "nk.", "refusal", "No")), null, null),
                chunk(new ChatCompletionChunk.Delta(null, "Pa"), Map.of("logprobs", LOGPROBS), null),
                chunk(new ChatCompletionChunk.Delta(null, "ris"), Map.of("logprobs", LOGPROBS), null),
                chunk(delta(Map.of("refusal", "pe.")), null, "stop"),
                new ChatCompletionChunk("c", 1L, "m", List.of(), usage, false));

        ChatCompletion completion = ChatCompletionChunks.assemble(chunks);

        ChatCompletion.Choice choice = completion.choices().get(0);
        assertThat(choice.message().content()).isEqualTo("Paris");
        assertThat(choice.message().reasoningContent()).isEqualTo("Think.");
        assertThat(choice.message().refusal()).isEqualTo("Nope.");
        assertThat((List<?>) choice.logprobs().get("content")).hasSize(2);
        assertThat(completion.usage()).isEqualTo(usage);
        assertThat(completion.usage().reasoningTokens()).isEqualTo(1L);
    }

    @Test
    void aDeltaFieldStreamedInPiecesThatAreNotTextIsNotAssembledWhole() {
        List<ChatCompletionChunk> functionCall = List.of(
                chunk(delta(Map.of("function_call", Map.of("name", "weather", "arguments", ""))), null, null),
                chunk(delta(Map.of("function_call", Map.of("arguments", "{\"city\""))), null, null),
                chunk(delta(Map.of("function_call", Map.of("arguments", ":\"Paris\"}"))), null, "function_call"));
        List<ChatCompletionChunk> audio = List.of(
                chunk(delta(Map.of("audio", Map.of("id", "a1", "data", "UklG"))), null, null),
                chunk(delta(Map.of("audio", Map.of("data", "RiQA"))), null, "stop"));

        assertThat(ChatCompletionChunks.assemblesWhole(functionCall))
                .as("only the last piece of the arguments would be kept")
                .isFalse();
        assertThat(ChatCompletionChunks.assemblesWhole(audio)).isFalse();
        assertThat(ChatCompletionChunks.isComplete(functionCall))
                .as("a whole answer, replayed as its chunks")
                .isTrue();
        assertThat(ChatCompletionChunks.assemblesWhole(
                        List.of(functionCall.get(0), chunk(delta(Map.of()), null, "function_call"))))
                .as("sent whole in one delta")
                .isTrue();
        assertThat(ChatCompletionChunks.assemblesWhole(List.of(
                        chunk(delta(Map.of("audio", Map.of("id", "a1"), "reasoning_content", "Thi")), null, null),
                        chunk(delta(Map.of("audio", Map.of("id", "a1"), "reasoning_content", "nk.")), null, "stop"))))
                .as("the same value sent again, and text in pieces")
                .isTrue();
    }

    private static ChatCompletionChunk.Delta delta(Map<String, Object> fields) {
        return new ChatCompletionChunk.Delta(null, null, null, fields);
    }

    private static ChatCompletionChunk chunk(
            ChatCompletionChunk.Delta delta, Map<String, Object> choiceFields, String finishReason) {
        ChatCompletionChunk.Choice choice = new ChatCompletionChunk.Choice(
                0, delta, finishReason, (choiceFields != null) ? choiceFields : Map.of());
        return new ChatCompletionChunk("c", 1L, "m", List.of(choice), null, false);
    }

    @Test
    void anAssemblyWithABoundCutsTextsAndLogprobsPastItAndKeepsTheUsageAndFinishReason() {
        ChatCompletionChunks.Assembly assembly = new ChatCompletionChunks.Assembly(64 * 1024);
        for (int i = 0; i < 10_000; i++) {
            Map<String, Object> reasoning = Map.of("reasoning_content", "thinking ");
            assembly.add(chunk(new ChatCompletionChunk.Choice(
                    0,
                    new ChatCompletionChunk.Delta(null, "word ", null, reasoning),
                    null,
                    Map.of("logprobs", LOGPROBS))));
        }
        assembly.add(
                chunk(new ChatCompletionChunk.Choice(1, new ChatCompletionChunk.Delta("assistant", "late"), null)));
        assembly.add(chunk(new ChatCompletionChunk.Choice(0, new ChatCompletionChunk.Delta(null, null), "stop")));
        assembly.add(new ChatCompletionChunk("c", 1L, "m", List.of(), new Usage(3, 10_000, 10_003), Map.of(), false));

        ChatCompletion cut = assembly.completion();

        assertThat(assembly.isCut()).isTrue();
        assertThat(RetainedSize.of(cut, Long.MAX_VALUE)).isLessThan(72 * 1024);
        assertThat(cut.content()).startsWith("word word ");
        assertThat(cut.choices())
                .singleElement()
                .satisfies(choice -> assertThat(choice.finishReason()).isEqualTo("stop"));
        assertThat(cut.usage()).isEqualTo(new Usage(3, 10_000, 10_003));
    }

    private static ChatCompletionChunk chunk(ChatCompletionChunk.Choice choice) {
        return new ChatCompletionChunk("c", 1L, "m", List.of(choice), null, Map.of(), false);
    }
}
