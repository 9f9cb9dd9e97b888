package io.yinghuo.web.ask;

import dev.langchain4j.data.message.AiMessage;
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

/** Without a model, /api/ask packs evidence by the chunker's estimate: a message costs its text and four markers. */
class EstimatedTokensTest {

    private static final String TEXT = "长江全长约6300公里，是中国第一长河。";

    @Test
    void aMessageCostsItsTextsEstimateAndFourRoleMarkers() {
        EstimatedTokens estimator = new EstimatedTokens();
        int text = TokenCounter.estimator().count(TEXT);
        assertTrue(text > 0);
        assertEquals(text, estimator.estimateTokenCountInText(TEXT));
        assertEquals(text + 4, estimator.estimateTokenCountInMessage(UserMessage.from(TEXT)));
        assertEquals(text + 4, estimator.estimateTokenCountInMessage(SystemMessage.from(TEXT)));
        assertEquals(text + 4, estimator.estimateTokenCountInMessage(AiMessage.from(TEXT)));
        assertEquals(4, estimator.estimateTokenCountInMessage(UserMessage.from(List.of(TextContent.from(TEXT),
                ImageContent.from("https://example.invalid/a.png")))), "only a single text is read");
        assertEquals(4, estimator.estimateTokenCountInMessage(ToolExecutionResultMessage.from("id", "tool", TEXT)));
        assertEquals(2 * (text + 4), estimator.estimateTokenCountInMessages(
                List.of(SystemMessage.from(TEXT), UserMessage.from(TEXT))));
    }
}
