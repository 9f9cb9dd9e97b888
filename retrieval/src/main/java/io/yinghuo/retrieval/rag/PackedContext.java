package io.yinghuo.retrieval.rag;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;

import java.util.List;

/**
 * The context built for one question, within the token budget.
 *
 * @param message         the user message to send: numbered evidence, rules and the question
 * @param history         the earlier messages that fit (oldest exchanges left out first)
 * @param evidence        the passages in the message, in number order ({@code evidence.get(i).number() == i + 1})
 * @param promptTokens    tokens of system prompt + history + message, as the estimator counts them
 * @param budgetTokens    the most the prompt may take: context minus answer room minus safety margin
 * @param leftOut         candidate passages that did not fit
 * @param droppedMessages earlier messages left out so the question and evidence fit
 */
public record PackedContext(UserMessage message, List<ChatMessage> history, List<Evidence> evidence,
                            int promptTokens, int budgetTokens, int leftOut, int droppedMessages) {

    public PackedContext {
        history = List.copyOf(history);
        evidence = List.copyOf(evidence);
    }
}
