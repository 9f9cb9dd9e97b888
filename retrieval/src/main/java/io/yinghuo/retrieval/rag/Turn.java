package io.yinghuo.retrieval.rag;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** One earlier exchange of a conversation: what the user asked and what was answered. */
public record Turn(String user, String assistant) {

    public Turn {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(assistant, "assistant");
    }

    /** The exchanges as chat messages, user then assistant, oldest first. */
    static List<ChatMessage> toMessages(List<Turn> history) {
        List<ChatMessage> messages = new ArrayList<>(history.size() * 2);
        for (Turn turn : history) {
            messages.add(UserMessage.from(turn.user()));
            messages.add(AiMessage.from(turn.assistant()));
        }
        return messages;
    }
}
