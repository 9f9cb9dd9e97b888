package io.yinghuo.web.ask;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import io.yinghuo.ingest.chunk.TokenCounter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without the model's tokenizer (no model in the server, `yinghuo ask` without one, a remote model before its counts
 * calibrate the estimate) a prompt costs the chunker's estimate of its texts, six tokens of framing per message and
 * forty for the prompt's system block.
 */
class EstimatedTokensTest {

    private static final String TEXT = "长江全长约6300公里，是中国第一长河。";

    @Test
    void aMessageCostsItsTextsEstimateAndItsFraming() {
        EstimatedTokens estimator = new EstimatedTokens();
        int text = TokenCounter.estimator().count(TEXT);
        assertTrue(text > 0);
        assertEquals(text, estimator.estimateTokenCountInText(TEXT));
        assertEquals(0, estimator.estimateTokenCountInText(""));
        assertEquals(0, estimator.estimateTokenCountInText(null));

        assertEquals(text + 6, estimator.estimateTokenCountInMessage(UserMessage.from(TEXT)));
        assertEquals(text + 6, estimator.estimateTokenCountInMessage(SystemMessage.from(TEXT)));
        assertEquals(text + 6, estimator.estimateTokenCountInMessage(AiMessage.from(TEXT)));
        assertEquals(6, estimator.estimateTokenCountInMessage(AiMessage.from(List.of(
                ToolExecutionRequest.builder().name("weather").arguments("{}").build()))), "a call has no text");
        assertEquals(6, estimator.estimateTokenCountInMessage(ToolExecutionResultMessage.from("id", "tool", TEXT)),
                "a tool result is not part of a RAG prompt");
    }

    @Test
    void everyTextPartOfAUserMessageCountsAndNoImage() {
        EstimatedTokens estimator = new EstimatedTokens();
        int text = TokenCounter.estimator().count(TEXT);
        assertEquals(text + 6, estimator.estimateTokenCountInMessage(UserMessage.from(List.of(
                TextContent.from(TEXT), ImageContent.from("https://example.invalid/a.png")))));
        assertEquals(TokenCounter.estimator().count(TEXT + TEXT) + 6, estimator.estimateTokenCountInMessage(
                UserMessage.from(List.of(TextContent.from(TEXT), TextContent.from(TEXT)))));
    }

    @Test
    void aPromptAddsItsSystemBlockOnce() {
        EstimatedTokens estimator = new EstimatedTokens();
        int text = TokenCounter.estimator().count(TEXT);
        List<ChatMessage> conversation = List.of(SystemMessage.from(TEXT), UserMessage.from(TEXT));
        assertEquals(40 + 2 * (text + 6), estimator.estimateTokenCountInMessages(conversation));
        assertEquals(40, estimator.estimateTokenCountInMessages(List.of()));
    }
}
