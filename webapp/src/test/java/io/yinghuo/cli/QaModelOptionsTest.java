package io.yinghuo.cli;

import dev.langchain4j.model.chat.request.ChatRequestParameters;
import io.yinghuo.model.langchain4j.YinghuoChatRequestParameters;
import io.yinghuo.retrieval.rag.QaService;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The question-answering options of {@code ask} and {@code eval-qa} without a model: the answer room must leave
 * room for a prompt and sampling reaches each request (the prompt is counted by {@code EstimatedTokens}, tested
 * beside it).
 */
class QaModelOptionsTest {

    @Test
    void theAnswerRoomMustLeaveRoomForAPrompt() {
        QaModelOptions options = new QaModelOptions();
        options.ctx = 256;
        options.maxTokens = 256;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> options.configure(QaService.builder(), null));
        assertEquals("--max-tokens 256 leaves no room in a context of 256 tokens", e.getMessage());
        options.maxTokens = 255;
        options.configure(QaService.builder(), null); // one token of prompt room is room
    }

    @Test
    void temperatureAndSeedReachEachRequestOnlyWhenGiven() {
        QaModelOptions options = new QaModelOptions();
        options.maxTokens = 64;
        ChatRequestParameters plain = options.parameters();
        assertEquals(64, plain.maxOutputTokens());
        assertNull(plain.temperature());
        assertNull(((YinghuoChatRequestParameters) plain).seed());
        options.temperature = 0.3;
        options.seed = 42L;
        ChatRequestParameters sampled = options.parameters();
        assertEquals(0.3, sampled.temperature());
        assertEquals(42L, ((YinghuoChatRequestParameters) sampled).seed());
    }
}
