package io.yinghuo.ingest.chunk;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.TokenCountEstimator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A LangChain4j estimator counts exactly the requested range of the text, and nothing for an empty range. */
class TokenCounterTest {

    /** Records what it was asked to count; one token per character. */
    private static final class RecordingEstimator implements TokenCountEstimator {
        final List<String> asked = new ArrayList<>();

        @Override
        public int estimateTokenCountInText(String text) {
            asked.add(text);
            return text.length();
        }

        @Override
        public int estimateTokenCountInMessage(ChatMessage message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void countsTheRangeThroughTheEstimator() {
        RecordingEstimator estimator = new RecordingEstimator();
        TokenCounter counter = TokenCounter.of(estimator);
        assertEquals(2, counter.count("萤火虫在夜里", 1, 3));
        assertEquals(6, counter.count("萤火虫在夜里"));
        assertEquals(List.of("火虫", "萤火虫在夜里"), estimator.asked);
    }

    @Test
    void anEmptyRangeCostsNothingWithoutAskingTheEstimator() {
        RecordingEstimator estimator = new RecordingEstimator();
        assertEquals(0, TokenCounter.of(estimator).count("萤火", 1, 1));
        assertEquals(List.of(), estimator.asked);
    }

    @Test
    void anEstimatorIsRequired() {
        assertThrows(NullPointerException.class, () -> TokenCounter.of(null));
    }
}
