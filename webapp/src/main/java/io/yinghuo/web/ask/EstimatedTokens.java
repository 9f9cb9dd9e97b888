package io.yinghuo.web.ask;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.TokenCountEstimator;
import io.yinghuo.ingest.chunk.TokenCounter;

/**
 * Token counts without a model (and so without its tokenizer), for packing evidence when the server runs without
 * one: the chunker's estimator, which the ingest module calibrated against the LLaMA-2 Chinese tokenizer.
 */
final class EstimatedTokens implements TokenCountEstimator {

    private final TokenCounter counter = TokenCounter.estimator();

    @Override
    public int estimateTokenCountInText(String text) {
        return counter.count(text);
    }

    @Override
    public int estimateTokenCountInMessage(ChatMessage message) {
        String text;
        if (message instanceof UserMessage user) {
            text = user.hasSingleText() ? user.singleText() : "";
        } else if (message instanceof SystemMessage system) {
            text = system.text();
        } else if (message instanceof AiMessage ai) {
            text = ai.text() == null ? "" : ai.text();
        } else {
            text = "";
        }
        return counter.count(text) + 4; // the template's role markers
    }

    @Override
    public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
        int total = 0;
        for (ChatMessage message : messages) {
            total += estimateTokenCountInMessage(message);
        }
        return total;
    }
}
