package io.yinghuo.model.chat;

import java.util.Objects;

/** A completed round of a chat: what the user asked and what the assistant answered. */
public record Exchange(String user, String assistant) {

    public Exchange {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(assistant, "assistant");
    }
}
