package io.yinghuo.retrieval.rag;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.TokenCountEstimator;

import java.util.ArrayList;
import java.util.List;

/**
 * The prompt of chat mode (the model alone): the conversation and the question, with the oldest exchanges left out
 * until it fits the budget, as the packer does for document questions. Leaving out whole exchanges, and refusing a
 * question that cannot fit even alone, are rules worth testing without a model, hence a class of their own.
 *
 * @param messages     the earlier messages that fit, then the question
 * @param promptTokens their tokens as the estimator counts them
 * @param budgetTokens the most the prompt could take
 */
record ChatConversation(List<ChatMessage> messages, int promptTokens, int budgetTokens) {

    /**
     * Tokens kept free besides the answer's room: SentencePiece may merge a few tokens differently where the chat
     * template joins messages (the document packer, {@link CitingContentInjector}, keeps a margin for the same
     * reason).
     */
    static final int SAFETY_TOKENS = 16;

    ChatConversation {
        messages = List.copyOf(messages);
    }

    /**
     * Fits {@code history} and {@code question} into a context of {@code contextTokens} that keeps
     * {@code answerTokens} for the answer.
     *
     * @throws IllegalArgumentException when the question alone does not fit
     */
    static ChatConversation fit(List<Turn> history, String question, TokenCountEstimator estimator,
                                int contextTokens, int answerTokens) {
        int budget = contextTokens - answerTokens - SAFETY_TOKENS;
        List<ChatMessage> earlier = Turn.toMessages(history);
        UserMessage asked = UserMessage.from(question.strip());
        while (!earlier.isEmpty() && estimator.estimateTokenCountInMessages(withQuestion(earlier, asked)) > budget) {
            earlier.subList(0, oldestExchangeLength(earlier)).clear();
        }
        List<ChatMessage> messages = withQuestion(earlier, asked);
        int promptTokens = estimator.estimateTokenCountInMessages(messages);
        if (promptTokens > budget) {
            throw new IllegalArgumentException("the question does not fit: it takes " + promptTokens + " tokens, but a"
                    + " context of " + contextTokens + " tokens with " + answerTokens + " kept for the answer leaves"
                    + " room for " + budget);
        }
        return new ChatConversation(messages, promptTokens, budget);
    }

    /** The messages up to and including the first answer (all of them when none answers). */
    private static int oldestExchangeLength(List<ChatMessage> messages) {
        int n = 1;
        while (n < messages.size() && !(messages.get(n - 1) instanceof AiMessage)) {
            n++;
        }
        return n;
    }

    private static List<ChatMessage> withQuestion(List<ChatMessage> history, UserMessage question) {
        List<ChatMessage> all = new ArrayList<>(history);
        all.add(question);
        return all;
    }
}
