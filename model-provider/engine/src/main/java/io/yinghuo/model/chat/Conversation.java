package io.yinghuo.model.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a chat template turns into a prompt: an optional system prompt, the completed exchanges in order (oldest
 * first) and the user message that is to be answered. The shape itself guarantees what every template needs
 * (user and assistant alternate, the last message is the user's).
 *
 * @param systemPrompt null for "the template's default" (Chinese-Alpaca-2's bilingual prompt for {@code alpaca2},
 *                     none for the others); an empty string is an explicitly empty system prompt
 * @param history      completed exchanges, oldest first; copied, unmodifiable
 * @param userMessage  the message to answer
 */
public record Conversation(String systemPrompt, List<Exchange> history, String userMessage) {

    public Conversation {
        history = List.copyOf(Objects.requireNonNull(history, "history"));
        Objects.requireNonNull(userMessage, "userMessage");
    }

    /** A single question with the template's default system prompt. */
    public static Conversation of(String userMessage) {
        return new Conversation(null, List.of(), userMessage);
    }

    /** A single question with an explicit system prompt (null = the template's default). */
    public static Conversation of(String systemPrompt, String userMessage) {
        return new Conversation(systemPrompt, List.of(), userMessage);
    }

    /**
     * Reads an OpenAI / LangChain4j style message list: at most one system message, and only as the first message;
     * then user and assistant messages alternating, starting and ending with a user message.
     *
     * @throws IllegalArgumentException naming the first message (by index and role) that breaks these rules
     */
    public static Conversation fromMessages(List<ChatMessage> messages) {
        Objects.requireNonNull(messages, "messages");
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("the conversation is empty; it must end with a user message");
        }
        String system = null;
        int start = 0;
        if (messages.get(0).role() == ChatRole.SYSTEM) {
            system = messages.get(0).content();
            start = 1;
        }
        List<Exchange> history = new ArrayList<>();
        String pendingUser = null;
        for (int i = start; i < messages.size(); i++) {
            ChatMessage message = Objects.requireNonNull(messages.get(i), "message " + i);
            if (message.role() == ChatRole.SYSTEM) {
                throw new IllegalArgumentException("message " + i + " is a SYSTEM message; only the first message"
                        + " may be one (a conversation has a single system prompt)");
            }
            ChatRole expected = pendingUser == null ? ChatRole.USER : ChatRole.ASSISTANT;
            if (message.role() != expected) {
                throw new IllegalArgumentException("message " + i + " has role " + message.role() + " but "
                        + expected + " was expected: a conversation is an optional first SYSTEM message, then USER"
                        + " and ASSISTANT messages alternating, ending with USER");
            }
            if (pendingUser == null) {
                pendingUser = message.content();
            } else {
                history.add(new Exchange(pendingUser, message.content()));
                pendingUser = null;
            }
        }
        if (pendingUser == null) {
            throw new IllegalArgumentException("the conversation must end with a USER message, but the last of its "
                    + messages.size() + " messages is " + messages.get(messages.size() - 1).role());
        }
        return new Conversation(system, history, pendingUser);
    }

    /** This conversation as a message list (the system message only when there is an explicit system prompt). */
    public List<ChatMessage> messages() {
        List<ChatMessage> messages = new ArrayList<>(2 * history.size() + 2);
        if (systemPrompt != null) {
            messages.add(ChatMessage.system(systemPrompt));
        }
        for (Exchange exchange : history) {
            messages.add(ChatMessage.user(exchange.user()));
            messages.add(ChatMessage.assistant(exchange.assistant()));
        }
        messages.add(ChatMessage.user(userMessage));
        return List.copyOf(messages);
    }

    /** The same conversation with the {@code count} oldest exchanges left out (system prompt and question kept). */
    public Conversation withoutOldestExchanges(int count) {
        if (count < 0 || count > history.size()) {
            throw new IllegalArgumentException("cannot drop " + count + " exchanges from a history of "
                    + history.size());
        }
        return new Conversation(systemPrompt, history.subList(count, history.size()), userMessage);
    }

    /** The same conversation with the answer to its question appended, ready for the next question. */
    public Conversation withAnswer(String answer, String nextUserMessage) {
        List<Exchange> longer = new ArrayList<>(history);
        longer.add(new Exchange(userMessage, answer));
        return new Conversation(systemPrompt, longer, nextUserMessage);
    }
}
