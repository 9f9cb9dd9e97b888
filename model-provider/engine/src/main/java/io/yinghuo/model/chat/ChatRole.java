package io.yinghuo.model.chat;

/** Who said a message, as in OpenAI / LangChain4j message lists. */
public enum ChatRole {
    SYSTEM,
    USER,
    ASSISTANT
}
