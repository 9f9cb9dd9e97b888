package io.yinghuo.cli;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import io.yinghuo.ingest.chunk.EstimatingTokenCounter;
import io.yinghuo.model.langchain4j.YinghuoChatRequestParameters;
import io.yinghuo.retrieval.rag.QaService;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The question-answering options of {@code ask} and {@code eval-qa} without a model: the answer room must leave
 * room for a prompt, sampling reaches each request, and the prompt is counted with the ingest chunker's
 * character-class estimate plus the template's framing.
 */
class QaModelOptionsTest {

    private static final String QUESTION = "故宫位于哪座城市？它建于哪个朝代？";

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

    @Test
    void withoutAModelAPromptCostsItsTextsEstimateAndTheTemplatesFraming() {
        QaModelOptions.CharacterClassEstimator estimator = new QaModelOptions.CharacterClassEstimator();
        int text = new EstimatingTokenCounter().count(QUESTION, 0, QUESTION.length());
        assertTrue(text > 0);
        assertEquals(text, estimator.estimateTokenCountInText(QUESTION));
        assertEquals(0, estimator.estimateTokenCountInText(""));
        assertEquals(0, estimator.estimateTokenCountInText(null));

        assertEquals(text + 6, estimator.estimateTokenCountInMessage(UserMessage.from(QUESTION)));
        assertEquals(text + 6, estimator.estimateTokenCountInMessage(SystemMessage.from(QUESTION)));
        assertEquals(text + 6, estimator.estimateTokenCountInMessage(AiMessage.from(QUESTION)));
        assertEquals(6, estimator.estimateTokenCountInMessage(AiMessage.from(List.of(
                ToolExecutionRequest.builder().name("weather").arguments("{}").build()))), "a call has no text");
        assertEquals(text + 6, estimator.estimateTokenCountInMessage(UserMessage.from(List.of(
                TextContent.from(QUESTION), ImageContent.from("https://example.invalid/a.png")))),
                "only the text of a user message counts");

        List<ChatMessage> conversation = List.of(SystemMessage.from(QUESTION), UserMessage.from(QUESTION));
        assertEquals(40 + 2 * (text + 6), estimator.estimateTokenCountInMessages(conversation));
    }
}
