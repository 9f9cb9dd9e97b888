package io.yinghuo.model.chat;

import java.util.Objects;

/**
 * A prompt that fits the context, from {@link ContextFitter#fit}.
 *
 * @param ids              the prompt ids, BOS first
 * @param conversation     the conversation they encode (the input without the dropped exchanges)
 * @param droppedExchanges how many of the oldest exchanges were left out
 */
public record FittedPrompt(int[] ids, Conversation conversation, int droppedExchanges) {

    public FittedPrompt {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(conversation, "conversation");
    }

    public int promptTokens() {
        return ids.length;
    }
}
