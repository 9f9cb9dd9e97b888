package io.yinghuo.web.generation.remote;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.TokenCountEstimator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the RAG packer is told a prompt costs on a remote server whose tokenizer is unknown: the base estimate with a
 * 10 % margin, then scaled by the server's own {@code usage.prompt_tokens} (smoothed, and clamped to 0.5–4 times).
 */
class CalibratedTokenEstimateTest {

    /** One token per character: the base estimate of a prompt is its length. */
    private static final TokenCountEstimator ONE_PER_CHARACTER = new TokenCountEstimator() {
        @Override
        public int estimateTokenCountInText(String text) {
            return text.length();
        }

        @Override
        public int estimateTokenCountInMessage(ChatMessage message) {
            return ((UserMessage) message).singleText().length();
        }

        @Override
        public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
            int n = 0;
            for (ChatMessage m : messages) {
                n += estimateTokenCountInMessage(m);
            }
            return n;
        }
    };

    /** A prompt of 20 characters, the base estimator's 20 tokens. */
    private static final List<ChatMessage> PROMPT = List.of(UserMessage.from("问".repeat(20)));

    private final CalibratedTokenEstimate estimate = new CalibratedTokenEstimate(ONE_PER_CHARACTER);

    @Test
    void beforeAnyAnswerTheBaseEstimateGetsATenPercentMargin() {
        assertEquals(22, estimate.estimateTokenCountInText("字".repeat(20)));
        assertEquals(22, estimate.estimateTokenCountInMessage(UserMessage.from("字".repeat(20))));
        assertEquals(22, estimate.estimateTokenCountInMessages(PROMPT));
        assertEquals(4, estimate.estimateTokenCountInText("字".repeat(3)), "3.3 rounded up");
        assertEquals(0, estimate.observations());
    }

    @Test
    void theFirstAnswerSetsTheRatioAndLaterOnesMoveItAThirdOfTheWay() {
        estimate.observe(PROMPT, 40);
        assertEquals(44, estimate.estimateTokenCountInMessages(PROMPT), "2 tokens per estimated one, plus 10 %");
        assertEquals(1, estimate.observations());

        estimate.observe(PROMPT, 20);
        // 2 + 0.3 * (1 - 2) = 1.7, times 1.1: 37.4 rounded up
        assertEquals(38, estimate.estimateTokenCountInText("字".repeat(20)));
        assertEquals(2, estimate.observations());
    }

    @Test
    void aRatioBeyondHalfOrFourTimesIsClamped() {
        estimate.observe(PROMPT, 10_000);
        assertEquals(88, estimate.estimateTokenCountInMessages(PROMPT), "at most 4 times");

        CalibratedTokenEstimate other = new CalibratedTokenEstimate(ONE_PER_CHARACTER);
        other.observe(PROMPT, 1);
        assertEquals(11, other.estimateTokenCountInMessages(PROMPT), "at least half");
    }

    @Test
    void answersWithoutUsageOrForAnEmptyPromptTeachNothing() {
        estimate.observe(PROMPT, null);
        estimate.observe(PROMPT, 0);
        estimate.observe(List.of(UserMessage.from("")), 50);
        assertEquals(0, estimate.observations());
        assertEquals(22, estimate.estimateTokenCountInMessages(PROMPT));

        estimate.observe(PROMPT, 1);
        assertEquals(1, estimate.observations(), "one reported token is a report");
    }
}
