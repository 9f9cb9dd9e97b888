package io.yinghuo.model.langchain4j;

import dev.langchain4j.exception.InvalidRequestException;

/**
 * The prompt does not fit the model's context. A subclass of {@link InvalidRequestException} (the request is at
 * fault and retrying it unchanged cannot help) that keeps the numbers, so that a server can answer as OpenAI does
 * ({@code 400}, code {@code context_length_exceeded}) without parsing the message.
 */
public class ContextLengthExceededException extends InvalidRequestException {

    private final int promptTokens;
    private final int contextLength;
    private final int answerTokens;

    /**
     * @param promptTokens  tokens of the shortest prompt that was tried (after leaving out old exchanges, when allowed)
     * @param contextLength tokens the model's context holds, prompt and answer together
     * @param answerTokens  tokens kept free for the answer
     */
    public ContextLengthExceededException(int promptTokens, int contextLength, int answerTokens, String detail) {
        super("the prompt does not fit: this model's maximum context length is " + contextLength + " tokens and "
                + answerTokens + " of them are kept for the answer, but the messages take " + promptTokens
                + " tokens" + detail + "; reduce the length of the messages or maxOutputTokens");
        this.promptTokens = promptTokens;
        this.contextLength = contextLength;
        this.answerTokens = answerTokens;
    }

    public int promptTokens() {
        return promptTokens;
    }

    public int contextLength() {
        return contextLength;
    }

    public int answerTokens() {
        return answerTokens;
    }
}
