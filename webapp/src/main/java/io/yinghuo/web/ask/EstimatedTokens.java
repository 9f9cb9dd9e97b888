package io.yinghuo.web.ask;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.TokenCountEstimator;
import io.yinghuo.ingest.chunk.TokenCounter;

/**
 * Token counts without the model's tokenizer: the ingest chunker's character-class estimate (calibrated against the
 * LLaMA-2 Chinese tokenizer) as a LangChain4j estimator. Used to pack evidence when the server runs without a model,
 * when `yinghuo ask` has neither a model nor a tokenizer, and as the base a remote model's prompt counts calibrate.
 * Each message costs its text plus a few tokens of template framing (Chinese-Alpaca-2 wraps a turn in
 * {@code [INST]} ... {@code [/INST]}), the prompt a fixed system block (its default system prompt is about 30 tokens).
 */
public final class EstimatedTokens implements TokenCountEstimator {

    static final int MESSAGE_FRAMING = 6;
    static final int PROMPT_FRAMING = 40;

    private final TokenCounter counter = TokenCounter.estimator();

    @Override
    public int estimateTokenCountInText(String text) {
        return text == null || text.isEmpty() ? 0 : counter.count(text);
    }

    @Override
    public int estimateTokenCountInMessage(ChatMessage message) {
        return estimateTokenCountInText(text(message)) + MESSAGE_FRAMING;
    }

    @Override
    public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
        int total = PROMPT_FRAMING;
        for (ChatMessage message : messages) {
            total += estimateTokenCountInMessage(message);
        }
        return total;
    }

    /** The text a message puts into the prompt: all text parts of a user message, none of its images. */
    private static String text(ChatMessage message) {
        if (message instanceof SystemMessage system) {
            return system.text();
        }
        if (message instanceof AiMessage ai) {
            return ai.text() == null ? "" : ai.text();
        }
        if (message instanceof UserMessage user) {
            StringBuilder text = new StringBuilder();
            for (Content content : user.contents()) {
                if (content instanceof TextContent part) {
                    text.append(part.text());
                }
            }
            return text.toString();
        }
        return "";
    }
}
