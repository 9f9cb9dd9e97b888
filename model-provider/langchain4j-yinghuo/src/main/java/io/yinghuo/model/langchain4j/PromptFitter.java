package io.yinghuo.model.langchain4j;

import io.yinghuo.model.chat.ChatTemplate;
import io.yinghuo.model.chat.ContextFitter;
import io.yinghuo.model.chat.Conversation;
import io.yinghuo.model.chat.FittedPrompt;
import io.yinghuo.model.tokenizer.Tokenizer;

import java.util.Arrays;

/**
 * Builds the prompt ids of a mapped conversation within the context: the whole conversation when it fits; else,
 * when allowed, without its oldest exchanges ({@link ContextFitter}); else {@link ContextLengthExceededException}.
 *
 * <p>A prefill (the start of the answer) goes after the template's prompt as its own SentencePiece chunk. The
 * templates write an answer as " {answer}" right after the assistant marker ({@code alpaca2}, {@code llama2-chat})
 * or alone after EOS ({@code firefly}); SentencePiece starts a piece at every space, so these ids equal the
 * template's own for text that starts without a space, up to merges across that one boundary.
 */
final class PromptFitter {

    private PromptFitter() {
    }

    /**
     * @param answerTokens tokens kept free for the answer (the prefill takes room from the prompt, not from these)
     * @param dropOldest   whether the oldest exchanges may be left out to make the prompt fit
     * @throws ContextLengthExceededException when the prompt cannot fit
     */
    static FittedPrompt fit(ChatTemplate template, Tokenizer tokenizer, MessageMapper.Mapped mapped, int context,
                            int answerTokens, boolean dropOldest) {
        Conversation conversation = mapped.conversation();
        int[] prefill = mapped.prefill() == null ? new int[0] : tokenizer.encode(mapped.prefill());
        int[] whole = template.encode(conversation, tokenizer);
        int budget = context - answerTokens;
        if (whole.length + prefill.length <= budget) {
            return new FittedPrompt(concat(whole, prefill), conversation, 0);
        }
        int exchanges = conversation.history().size();
        if (!dropOldest || exchanges == 0) {
            throw new ContextLengthExceededException(whole.length + prefill.length, context, answerTokens,
                    exchanges == 0 || dropOldest ? "" : " (leaving out earlier exchanges is turned off for this"
                            + " request)");
        }
        FittedPrompt fitted;
        try {
            fitted = ContextFitter.fit(template, tokenizer, conversation, context, answerTokens + prefill.length);
        } catch (IllegalArgumentException e) {
            int shortest = template.encode(conversation.withoutOldestExchanges(exchanges), tokenizer).length;
            throw new ContextLengthExceededException(shortest + prefill.length, context, answerTokens,
                    " even with all " + exchanges + " earlier exchanges left out");
        }
        return new FittedPrompt(concat(fitted.ids(), prefill), fitted.conversation(), fitted.droppedExchanges());
    }

    private static int[] concat(int[] a, int[] b) {
        if (b.length == 0) {
            return a;
        }
        int[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
