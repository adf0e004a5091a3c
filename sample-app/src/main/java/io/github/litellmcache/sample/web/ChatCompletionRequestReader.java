package io.github.litellmcache.sample.web;

import io.github.litellmcache.completion.ChatCompletionRequest;
import io.github.litellmcache.completion.ChatMessage;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the body of {@code POST /v1/chat/completions} (the OpenAI wire format) into a
 * {@link ChatCompletionRequest}. Fields it does not know are passed to the provider as they are
 * (among them {@code stream_options}, which therefore is part of the cache key). An invalid body
 * throws {@link InvalidRequestException} naming the field, before the library request is built, so
 * that HTTP clients never see the library's advice to Java callers.
 */
final class ChatCompletionRequestReader {

    /** OpenAI's bounds of {@code n}, which also keep one request from asking the mock for millions of answers. */
    private static final int MAX_CHOICES = 128;

    private static final String EXAMPLE_MESSAGES = "[{\"role\": \"user\", \"content\": \"Hello\"}]";

    private static final Set<String> FIELDS = fields(
            "model",
            "messages",
            "temperature",
            "top_p",
            "n",
            "max_tokens",
            "stop",
            "presence_penalty",
            "frequency_penalty",
            "logit_bias",
            "seed",
            "user",
            "response_format",
            "tools",
            "tool_choice",
            "stream");

    /** The fields of a message that {@link ChatMessage} models; any other is passed on as it is. */
    private static final Set<String> MESSAGE_FIELDS = Set.of("role", "content", "name", "tool_calls", "tool_call_id");

    private ChatCompletionRequestReader() {}

    /** Whether the body asks for a stream of server-sent events ({@code "stream": true}). */
    static boolean isStream(Map<String, Object> body) {
        return Boolean.TRUE.equals(JsonFields.of(body).bool("stream"));
    }

    static ChatCompletionRequest read(Map<String, Object> body, SampleProperties.Limits limits, CacheScope scope) {
        JsonFields json = JsonFields.of(body);
        ChatCompletionRequest.Builder builder = ChatCompletionRequest.builder().model(json.model("\"gpt-4o-mini\""));
        List<JsonFields> messages = json.objects("messages");
        if (messages == null) {
            throw json.missing("messages", EXAMPLE_MESSAGES);
        }
        if (messages.isEmpty()) {
            throw InvalidRequestException.invalidValue(
                    "messages", "messages must not be empty: send at least one, like " + EXAMPLE_MESSAGES);
        }
        if (messages.size() > limits.getMaxMessages()) {
            throw InvalidRequestException.invalidValue(
                    "messages",
                    "messages has " + messages.size() + " items, over the server's sample.limits.max-messages of "
                            + limits.getMaxMessages() + ": send fewer, or raise that setting");
        }
        messages.forEach(message -> builder.message(message(message)));
        List<JsonFields> tools = json.objects("tools");
        JsonFields responseFormat = json.object("response_format");
        builder.temperature(json.number("temperature"))
                .topP(json.number("top_p"))
                .n(choices(json))
                .maxTokens(json.integer("max_tokens"))
                .stop(json.strings("stop"))
                .presencePenalty(json.number("presence_penalty"))
                .frequencyPenalty(json.number("frequency_penalty"))
                .logitBias(logitBias(json.object("logit_bias")))
                .seed(json.longInteger("seed"))
                .user(json.string("user"))
                .responseFormat((responseFormat != null) ? responseFormat.nonNull() : null)
                .tools((tools != null) ? tools.stream().map(JsonFields::asMap).toList() : null)
                .toolChoice(json.raw("tool_choice"));
        LiteLlmOptions options = LiteLlmOptions.read(json, scope);
        builder.caching(options.caching()).cache(options.cache());
        json.others(FIELDS).forEach(builder::param);
        return builder.build();
    }

    private static ChatMessage message(JsonFields json) {
        String role = json.required("role", "\"user\"");
        ChatMessage message;
        if (json.raw("content") instanceof List<?>) {
            List<JsonFields> parts = json.objects("content");
            message = ChatMessage.multiPart(
                    role,
                    (parts != null) ? parts.stream().map(JsonFields::asMap).toList() : List.of());
        } else {
            message = ChatMessage.of(role, json.string("content"));
        }
        List<JsonFields> toolCalls = json.objects("tool_calls");
        return message.withName(json.string("name"))
                .withToolCalls(
                        (toolCalls != null)
                                ? toolCalls.stream().map(JsonFields::asMap).toList()
                                : null)
                .withToolCallId(json.string("tool_call_id"))
                .withExtraFields(json.others(MESSAGE_FIELDS));
    }

    private static @Nullable Integer choices(JsonFields json) {
        Integer n = json.integer("n");
        if (n != null && (n < 1 || n > MAX_CHOICES)) {
            throw InvalidRequestException.invalidValue(
                    json.field("n"), "n must be between 1 and " + MAX_CHOICES + ": it is the number of choices");
        }
        return n;
    }

    private static @Nullable Map<String, Integer> logitBias(@Nullable JsonFields json) {
        if (json == null) {
            return null;
        }
        Map<String, Integer> bias = new LinkedHashMap<>();
        for (String token : json.asMap().keySet()) {
            Integer value = json.integer(token);
            if (value == null) {
                throw InvalidRequestException.invalidType(json.field(token), "an integer");
            }
            bias.put(token, value);
        }
        return bias;
    }

    private static Set<String> fields(String... names) {
        Set<String> fields = new HashSet<>(List.of(names));
        fields.addAll(LiteLlmOptions.FIELDS);
        return Set.copyOf(fields);
    }
}
