package io.yinghuo.retrieval.rag;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.TokenCountEstimator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChatConversationTest {

    /** One token per character of a message's text: easy sums. */
    private static final TokenCountEstimator CHARACTERS = new TokenCountEstimator() {
        @Override
        public int estimateTokenCountInText(String text) {
            return text.length();
        }

        @Override
        public int estimateTokenCountInMessage(ChatMessage message) {
            if (message instanceof UserMessage user) {
                return user.singleText().length();
            }
            return ((AiMessage) message).text().length();
        }

        @Override
        public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
            return StreamSupport.stream(messages.spliterator(), false).mapToInt(this::estimateTokenCountInMessage).sum();
        }
    };

    private static final List<Turn> HISTORY = List.of(new Turn("一一一一", "二二二二"), new Turn("三三三三", "四四四四"));

    /** A context that leaves {@code budget} tokens for the prompt once 100 are kept for the answer. */
    private static ChatConversation fit(String question, int budget) {
        return ChatConversation.fit(HISTORY, question, CHARACTERS, budget + 100 + ChatConversation.SAFETY_TOKENS, 100);
    }

    private static List<String> texts(ChatConversation conversation) {
        return conversation.messages().stream().map(m -> m instanceof UserMessage u ? u.singleText()
                : ((AiMessage) m).text()).toList();
    }

    @Test
    void keepsTheWholeConversationWhenItFits() {
        ChatConversation conversation = fit(" 问题 ", 18);
        assertEquals(List.of("一一一一", "二二二二", "三三三三", "四四四四", "问题"), texts(conversation));
        assertEquals(18, conversation.promptTokens());
        assertEquals(18, conversation.budgetTokens());
    }

    @Test
    void leavesOutTheOldestWholeExchangesFirst() {
        assertEquals(List.of("三三三三", "四四四四", "问题"), texts(fit("问题", 17)));
        assertEquals(List.of("三三三三", "四四四四", "问题"), texts(fit("问题", 10)));
        assertEquals(List.of("问题"), texts(fit("问题", 9)));
    }

    @Test
    void refusesAQuestionThatDoesNotFitAlone() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fit("很长的问题", 4));
        assertTrue(e.getMessage().contains("the question does not fit: it takes 5 tokens"), e.getMessage());
        assertTrue(e.getMessage().contains("leaves room for 4"), e.getMessage());
    }
}
