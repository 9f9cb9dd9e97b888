package io.yinghuo.model.langchain4j;

import java.util.UUID;

/**
 * Ids for {@link dev.langchain4j.model.chat.response.ChatResponseMetadata#id()}: OpenAI's shape ({@code chatcmpl-}
 * and 32 hex digits), so that logs, listeners and the OpenAI-compatible server can name one response the same way.
 */
final class ResponseIds {

    private ResponseIds() {
    }

    static String next() {
        return "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
    }
}
