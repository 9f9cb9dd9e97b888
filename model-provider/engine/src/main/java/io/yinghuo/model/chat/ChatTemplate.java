package io.yinghuo.model.chat;

import io.yinghuo.model.generate.SamplingParams;
import io.yinghuo.model.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * How a chat model expects a conversation as token ids: {@link Alpaca2Template} (Chinese-Alpaca-2),
 * {@link Llama2ChatTemplate} (Meta's Llama-2-chat), {@link FireflyTemplate} (Firefly-LLaMA2-Chat) and
 * {@link RawTemplate} (plain completion). Find one with {@link ChatTemplates#byName} or {@link ChatTemplates#detect}.
 *
 * <p>Every template places BOS and EOS as ids and encodes message text with plain SentencePiece, so a message that
 * contains {@code <s>} or {@code </s>} literally cannot inject control tokens; for ordinary text the ids are exactly
 * those of the template's reference implementation. Templates are stateless and thread-safe.
 */
public sealed interface ChatTemplate permits Alpaca2Template, Llama2ChatTemplate, FireflyTemplate, RawTemplate {

    /** The name {@link ChatTemplates#byName} knows it by, e.g. {@code "alpaca2"}. */
    String name();

    /** One line for users: which model family it serves and where the format comes from. */
    String description();

    /** The system prompt used when {@link Conversation#systemPrompt()} is null; null when the template has none. */
    String defaultSystemPrompt();

    /**
     * The prompt ids (BOS first) after which the model writes the assistant's answer.
     *
     * @throws IllegalArgumentException when the template refuses the content (see {@link Llama2ChatTemplate})
     */
    int[] encode(Conversation conversation, Tokenizer tokenizer);

    /**
     * The prompt as text, for logs and debugging: {@code <s>} / {@code </s>} mark where BOS / EOS ids go. Not meant
     * to be encoded again (message text that contains those strings would then turn into control ids).
     */
    String render(Conversation conversation);

    /** Ids that end the answer: EOS for every template here (the reference scripts stop on EOS only). */
    default int[] stopIds(Tokenizer tokenizer) {
        return new int[] {tokenizer.eosId()};
    }

    /**
     * Text that ends the answer besides the stop ids: a guard against a model that starts writing the next user
     * turn without first emitting EOS. Empty when the template has no textual turn marker.
     */
    List<String> stopStrings();

    /** {@code params} with this template's stop strings added (those already present are kept once). */
    default SamplingParams withStopStrings(SamplingParams params) {
        List<String> stops = new ArrayList<>(params.stopStrings());
        for (String stop : stopStrings()) {
            if (!stops.contains(stop)) {
                stops.add(stop);
            }
        }
        return params.toBuilder().stopStrings(stops).build();
    }
}
