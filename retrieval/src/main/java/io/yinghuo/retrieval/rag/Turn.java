package io.yinghuo.retrieval.rag;

import java.util.Objects;

/** One earlier exchange of a conversation: what the user asked and what was answered. */
public record Turn(String user, String assistant) {

    public Turn {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(assistant, "assistant");
    }
}
