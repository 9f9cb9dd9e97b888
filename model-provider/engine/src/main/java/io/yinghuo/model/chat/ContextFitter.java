package io.yinghuo.model.chat;

import io.yinghuo.model.tokenizer.Tokenizer;

import java.util.Objects;

/**
 * Makes a conversation fit the model's context: the oldest exchanges (user message and answer together) are left out
 * until the prompt plus the room kept for the answer fits; the system prompt and the question are always kept. This is
 * what Chinese-Alpaca-2's gradio demo does with {@code --max_memory} (scripts/inference/gradio_demo.py: the oldest
 * turns go while the prompt is longer than max_memory tokens), at exchange granularity; Firefly's script instead cuts
 * the id sequence anywhere (even through BOS), which this does not copy.
 */
public final class ContextFitter {

    private ContextFitter() {
    }

    /**
     * @param contextTokens the session's capacity in tokens (prompt and answer together)
     * @param answerTokens  tokens kept free for the answer (e.g. {@code maxNewTokens})
     * @return the prompt with as many recent exchanges as fit
     * @throws IllegalArgumentException when the numbers leave no room for a prompt, or when even the system prompt
     *                                  and the question alone do not fit (the message gives the token counts)
     */
    public static FittedPrompt fit(ChatTemplate template, Tokenizer tokenizer, Conversation conversation,
                                   int contextTokens, int answerTokens) {
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(tokenizer, "tokenizer");
        Objects.requireNonNull(conversation, "conversation");
        if (contextTokens < 1) {
            throw new IllegalArgumentException("the context must hold at least 1 token, got " + contextTokens);
        }
        if (answerTokens < 0) {
            throw new IllegalArgumentException("the room for the answer must be >= 0 tokens, got " + answerTokens);
        }
        int budget = contextTokens - answerTokens;
        if (budget < 1) {
            throw new IllegalArgumentException("keeping " + answerTokens + " tokens for the answer leaves no room"
                    + " for the prompt in a context of " + contextTokens + " tokens");
        }

        // The whole conversation usually fits: one encoding.
        int[] ids = template.encode(conversation, tokenizer);
        if (ids.length <= budget) {
            return new FittedPrompt(ids, conversation, 0);
        }
        int exchanges = conversation.history().size();
        Conversation shortest = conversation.withoutOldestExchanges(exchanges);
        int[] shortestIds = template.encode(shortest, tokenizer);
        if (shortestIds.length > budget) {
            throw new IllegalArgumentException("the prompt does not fit: the system prompt and the last user message"
                    + " alone take " + shortestIds.length + " tokens (" + template.name() + " template"
                    + (exchanges > 0 ? ", all " + exchanges + " earlier exchanges dropped" : "") + "), but a context"
                    + " of " + contextTokens + " tokens with " + answerTokens + " kept for the answer leaves room"
                    + " for " + budget);
        }
        // Add exchanges back, newest first, while they fit: the cost is bounded by what is kept, not by how long
        // the history has grown. A prompt grows with every exchange added back, so the first one that does not
        // fit ends the search.
        FittedPrompt best = new FittedPrompt(shortestIds, shortest, exchanges);
        for (int dropped = exchanges - 1; dropped >= 1; dropped--) {
            Conversation candidate = conversation.withoutOldestExchanges(dropped);
            int[] candidateIds = template.encode(candidate, tokenizer);
            if (candidateIds.length > budget) {
                break;
            }
            best = new FittedPrompt(candidateIds, candidate, dropped);
        }
        return best;
    }
}
