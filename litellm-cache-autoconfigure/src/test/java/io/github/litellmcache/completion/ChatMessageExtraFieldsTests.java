package io.github.litellmcache.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/** A message's extra fields are the fields it does not model: one it models would be sent twice, in one JSON object. */
class ChatMessageExtraFieldsTests {

    @ParameterizedTest
    @ValueSource(strings = {"role", "content", "name", "tool_calls", "tool_call_id"})
    void aFieldTheMessageModelsIsRefusedAsAnExtraFieldNamingItAndTheWayToSetIt(String field) {
        ChatMessage message = ChatMessage.user("hello");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> message.withExtraFields(Map.of(field, "x")))
                .withMessageContaining("\"" + field + "\"")
                .withMessageContaining("sent twice")
                .withMessageNotContaining("hello");
    }

    @Test
    void aFieldTheMessageDoesNotModelIsSentOnceBesideItsOwn() {
        ChatMessage message = ChatMessage.assistant("hello").withExtraFields(Map.of("refusal", "no"));

        assertThat(JsonMapper.builder().build().writeValueAsString(message))
                .isEqualTo("{\"role\":\"assistant\",\"content\":\"hello\",\"refusal\":\"no\"}");
    }
}
