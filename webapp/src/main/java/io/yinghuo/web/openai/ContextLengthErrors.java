package io.yinghuo.web.openai;

import io.yinghuo.model.langchain4j.ContextLengthExceededException;
import io.yinghuo.web.ApiException;

/**
 * OpenAI's answer to a prompt that does not fit: {@code 400}, code {@code context_length_exceeded}, the offending
 * field as param, and OpenAI's wording with the numbers ("This model's maximum context length is ... tokens"), which
 * clients such as LangChain recognise by its text to trim and retry.
 */
final class ContextLengthErrors {

    private ContextLengthErrors() {
    }

    /** @param param {@code messages} (chat) or {@code prompt} (completions) */
    static ApiException of(ContextLengthExceededException e, String param) {
        int total = e.promptTokens() + e.answerTokens();
        return new ApiException(400, "invalid_request_error", "context_length_exceeded", param,
                "This model's maximum context length is " + e.contextLength() + " tokens. However, you requested "
                        + total + " tokens (" + e.promptTokens() + " in the " + param + ", " + e.answerTokens()
                        + " kept for the completion). Please reduce the length of the " + param + " or max_tokens.");
    }
}
