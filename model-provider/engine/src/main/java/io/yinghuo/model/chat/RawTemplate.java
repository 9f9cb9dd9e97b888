package io.yinghuo.model.chat;

import io.yinghuo.model.tokenizer.Tokenizer;

import java.util.List;
import java.util.Objects;

/**
 * Plain completion, for base (not instruction-tuned) models such as Chinese-LLaMA-2: {@code BOS + sp(text)} of the
 * last user message, which the model continues. There are no turns in this format, so the system prompt and the
 * earlier exchanges are not part of the prompt (a base model would only continue them as a transcript); callers that
 * want them in must write them into the message. The text is used as given and encoded with plain SentencePiece, so
 * {@code <s>}/{@code </s>} in it stay text.
 */
public final class RawTemplate implements ChatTemplate {

    static final RawTemplate INSTANCE = new RawTemplate();

    private RawTemplate() {
    }

    @Override
    public String name() {
        return "raw";
    }

    @Override
    public String description() {
        return "plain completion: BOS + the last user message, no system prompt or history (base models)";
    }

    @Override
    public String defaultSystemPrompt() {
        return null;
    }

    @Override
    public int[] encode(Conversation conversation, Tokenizer tokenizer) {
        Objects.requireNonNull(tokenizer, "tokenizer");
        return new PromptIds(tokenizer).bos().text(conversation.userMessage()).toArray();
    }

    @Override
    public String render(Conversation conversation) {
        return "<s>" + conversation.userMessage();
    }

    /** None: a completion ends at EOS or the token limit. */
    @Override
    public List<String> stopStrings() {
        return List.of();
    }

    @Override
    public String toString() {
        return name();
    }
}
