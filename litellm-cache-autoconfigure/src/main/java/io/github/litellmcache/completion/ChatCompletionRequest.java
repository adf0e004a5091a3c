package io.github.litellmcache.completion;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A chat completion request; build it with {@link #builder()}. */
public final class ChatCompletionRequest extends AbstractLlmRequest {

    private ChatCompletionRequest(Builder builder) {
        super(builder);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static ChatCompletionRequest of(String model, List<ChatMessage> messages) {
        return builder().model(model).messages(messages).build();
    }

    /** The messages of the chat, in order. */
    @SuppressWarnings("unchecked")
    public List<ChatMessage> messages() {
        return (List<ChatMessage>) params().get("messages");
    }

    /**
     * Whether a stream of this request asks for OpenAI's last chunk with the usage
     * ({@code stream_options.include_usage} is true).
     */
    public boolean includesUsage() {
        return params().get("stream_options") instanceof Map<?, ?> options
                && Boolean.TRUE.equals(options.get("include_usage"));
    }

    /** Builds a {@link ChatCompletionRequest}. */
    public static final class Builder extends AbstractLlmRequest.Builder<Builder, ChatCompletionRequest> {

        /** The messages; shared with the last request built, as its parameters are. */
        private List<ChatMessage> messages = new ArrayList<>();

        /** Whether {@link #messages} belongs to a request already, so that it is copied before a change. */
        private boolean messagesHandedOver;

        private Builder() {}

        /** Replaces the messages. */
        public Builder messages(List<ChatMessage> messages) {
            this.messages = new ArrayList<>(messages.size());
            this.messagesHandedOver = false;
            messages.forEach(this::message);
            return this;
        }

        /** Appends a message. */
        public Builder message(ChatMessage message) {
            if (message == null) {
                throw new IllegalArgumentException("messages must not contain null");
            }
            if (!message.isPlain()) {
                this.values.notPlain();
            }
            if (this.messagesHandedOver) {
                this.messages = new ArrayList<>(this.messages);
                this.messagesHandedOver = false;
            }
            this.messages.add(message);
            return this;
        }

        public Builder temperature(@Nullable Double temperature) {
            return param("temperature", temperature);
        }

        public Builder topP(@Nullable Double topP) {
            return param("top_p", topP);
        }

        public Builder n(@Nullable Integer n) {
            return param("n", n);
        }

        public Builder maxTokens(@Nullable Integer maxTokens) {
            return param("max_tokens", maxTokens);
        }

        public Builder stop(@Nullable List<String> stop) {
            return param("stop", stop);
        }

        public Builder presencePenalty(@Nullable Double presencePenalty) {
            return param("presence_penalty", presencePenalty);
        }

        public Builder frequencyPenalty(@Nullable Double frequencyPenalty) {
            return param("frequency_penalty", frequencyPenalty);
        }

        public Builder logitBias(@Nullable Map<String, Integer> logitBias) {
            return param("logit_bias", logitBias);
        }

        public Builder seed(@Nullable Long seed) {
            return param("seed", seed);
        }

        public Builder responseFormat(@Nullable Map<String, Object> responseFormat) {
            return param("response_format", responseFormat);
        }

        public Builder tools(@Nullable List<Map<String, Object>> tools) {
            return param("tools", tools);
        }

        public Builder toolChoice(@Nullable Object toolChoice) {
            return param("tool_choice", toolChoice);
        }

        @Override
        public ChatCompletionRequest build() {
            if (this.messages.isEmpty()) {
                throw new IllegalArgumentException(
                        "messages must not be empty: add at least one with builder.message(ChatMessage.user(...))");
            }
            putParam("messages", Collections.unmodifiableList(this.messages));
            this.messagesHandedOver = true;
            return new ChatCompletionRequest(this);
        }
    }
}
