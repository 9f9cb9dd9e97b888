package io.yinghuo.model.chat;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.yinghuo.model.chat.ChatMessage.assistant;
import static io.yinghuo.model.chat.ChatMessage.system;
import static io.yinghuo.model.chat.ChatMessage.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConversationTest {

    @Test
    void readsAlternatingMessages() {
        List<ChatMessage> messages = List.of(system("sys"), user("u1"), assistant("a1"), user("u2"));
        Conversation conversation = Conversation.fromMessages(messages);
        assertEquals("sys", conversation.systemPrompt());
        assertEquals(List.of(new Exchange("u1", "a1")), conversation.history());
        assertEquals("u2", conversation.userMessage());
        assertEquals(messages, conversation.messages());

        Conversation noSystem = Conversation.fromMessages(List.of(user("q")));
        assertNull(noSystem.systemPrompt());
        assertEquals(List.of(user("q")), noSystem.messages());
    }

    @Test
    void rejectsBrokenShapesNamingTheMessage() {
        assertMessage("empty", List.of());
        assertMessage("must end with a USER message, but the last of its 3 messages is ASSISTANT",
                List.of(system("s"), user("u"), assistant("a")));
        assertMessage("message 2 has role USER but ASSISTANT was expected",
                List.of(system("s"), user("u"), user("u again")));
        assertMessage("message 1 is a SYSTEM message; only the first message may be one",
                List.of(user("u"), system("late")));
        assertMessage("message 1 is a SYSTEM message", List.of(system("s1"), system("s2"), user("u")));
        assertMessage("message 0 has role ASSISTANT but USER was expected", List.of(assistant("a"), user("u")));
        assertMessage("must end with a USER message", List.of(system("only")));
    }

    @Test
    void dropsOldestExchangesAndAppendsAnswers() {
        Conversation conversation = Conversation.of("s", "u1").withAnswer("a1", "u2").withAnswer("a2", "u3");
        assertEquals(List.of(new Exchange("u1", "a1"), new Exchange("u2", "a2")), conversation.history());
        Conversation shorter = conversation.withoutOldestExchanges(1);
        assertEquals(List.of(new Exchange("u2", "a2")), shorter.history());
        assertEquals("s", shorter.systemPrompt());
        assertEquals("u3", shorter.userMessage());
        assertEquals(conversation, conversation.withoutOldestExchanges(0));
        assertThrows(IllegalArgumentException.class, () -> conversation.withoutOldestExchanges(3));
        assertThrows(IllegalArgumentException.class, () -> conversation.withoutOldestExchanges(-1));
    }

    private static void assertMessage(String expectedPart, List<ChatMessage> messages) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Conversation.fromMessages(messages));
        assertTrue(e.getMessage().contains(expectedPart), e.getMessage());
    }
}
