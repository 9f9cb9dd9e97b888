package io.yinghuo.retrieval.rag;

import java.util.Locale;

/** What a question asks for, as privateGPT users know the modes. */
public enum AskMode {
    /** An answer from the documents, with citations (without a model: the best passages, marked as such). */
    ASK,
    /** The evidence passages only; no model. */
    SEARCH,
    /** The model alone, no documents. */
    CHAT;

    /** "ask", "search" or "chat" (any case). */
    public static AskMode parse(String name) {
        for (AskMode mode : values()) {
            if (mode.name().equalsIgnoreCase(name.strip())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown mode \"" + name + "\"; expected ask, search or chat");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
