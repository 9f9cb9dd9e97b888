package io.yinghuo.model.chat;

import io.yinghuo.model.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContextFitterTest {

    private final Tokenizer tokenizer = TestTokenizers.synthetic();

    private static Conversation longChat(int exchanges) {
        List<Exchange> history = new ArrayList<>();
        for (int i = 0; i < exchanges; i++) {
            history.add(new Exchange("question " + i + " 你好世界", "answer " + i + " 中国北京人民银行"));
        }
        return new Conversation("be helpful", history, "last question");
    }

    @Test
    void keepsEverythingWhenItFits() {
        Conversation conversation = longChat(3);
        for (ChatTemplate template : ChatTemplates.all()) {
            int[] full = template.encode(conversation, tokenizer);
            FittedPrompt fitted = ContextFitter.fit(template, tokenizer, conversation, full.length + 10, 10);
            assertEquals(0, fitted.droppedExchanges());
            assertArrayEquals(full, fitted.ids());
            assertSame(conversation, fitted.conversation());
        }
    }

    @Test
    void dropsJustEnoughOldestExchanges() {
        Conversation conversation = longChat(12);
        for (ChatTemplate template : List.of(ChatTemplates.alpaca2(), ChatTemplates.llama2Chat(),
                ChatTemplates.firefly())) {
            int keepFive = template.encode(conversation.withoutOldestExchanges(7), tokenizer).length;
            int answer = 64;
            FittedPrompt fitted = ContextFitter.fit(template, tokenizer, conversation, keepFive + answer, answer);
            assertEquals(7, fitted.droppedExchanges(), template.name());
            assertEquals(conversation.history().subList(7, 12), fitted.conversation().history());
            assertEquals("be helpful", fitted.conversation().systemPrompt());
            assertEquals("last question", fitted.conversation().userMessage());
            assertArrayEquals(template.encode(fitted.conversation(), tokenizer), fitted.ids());
            assertEquals(keepFive, fitted.promptTokens());
            // One token less and a sixth exchange has to go.
            FittedPrompt tighter = ContextFitter.fit(template, tokenizer, conversation, keepFive + answer - 1, answer);
            assertEquals(8, tighter.droppedExchanges(), template.name());
        }
    }

    /** The smallest context that works: one token, for a prompt that is BOS alone. */
    @Test
    void aOneTokenPromptFitsAContextOfOneToken() {
        FittedPrompt fitted = ContextFitter.fit(ChatTemplates.raw(), tokenizer, Conversation.of(""), 1, 0);
        assertEquals(1, fitted.promptTokens());
    }

    @Test
    void dropsOnlyTheOldestExchangeWhenThatIsEnough() {
        Conversation conversation = longChat(3);
        for (ChatTemplate template : List.of(ChatTemplates.alpaca2(), ChatTemplates.llama2Chat(),
                ChatTemplates.firefly())) {
            int keepTwo = template.encode(conversation.withoutOldestExchanges(1), tokenizer).length;
            FittedPrompt fitted = ContextFitter.fit(template, tokenizer, conversation, keepTwo + 10, 10);
            assertEquals(1, fitted.droppedExchanges(), template.name());
            assertEquals(conversation.history().subList(1, 3), fitted.conversation().history());
        }
    }

    /** A question without history that is too long is named as such: there is nothing earlier to drop. */
    @Test
    void aTooLongFirstQuestionIsNamedWithoutEarlierExchanges() {
        Conversation conversation = Conversation.of("last question 你好世界 中国北京人民银行");
        ChatTemplate raw = ChatTemplates.raw();
        int alone = raw.encode(conversation, tokenizer).length;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ContextFitter.fit(raw, tokenizer, conversation, alone + 4, 5));
        assertEquals("the prompt does not fit: the system prompt and the last user message alone take " + alone
                + " tokens (raw template), but a context of " + (alone + 4) + " tokens with 5 kept for the answer"
                + " leaves room for " + (alone - 1), e.getMessage());
    }

    @Test
    void systemPromptSurvivesDropping() {
        Conversation conversation = longChat(4);
        ChatTemplate alpaca2 = ChatTemplates.alpaca2();
        int alone = alpaca2.encode(conversation.withoutOldestExchanges(4), tokenizer).length;
        FittedPrompt fitted = ContextFitter.fit(alpaca2, tokenizer, conversation, alone, 0);
        assertEquals(4, fitted.droppedExchanges());
        assertTrue(tokenizer.decode(fitted.ids()).contains("<<SYS>>\nbe helpful\n<</SYS>>"));
    }

    @Test
    void failsWithTheNumbersWhenSystemAndQuestionAloneDoNotFit() {
        Conversation conversation = longChat(2);
        ChatTemplate alpaca2 = ChatTemplates.alpaca2();
        int alone = alpaca2.encode(conversation.withoutOldestExchanges(2), tokenizer).length;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ContextFitter.fit(alpaca2, tokenizer, conversation, alone + 99, 100));
        assertEquals("the prompt does not fit: the system prompt and the last user message alone take " + alone
                + " tokens (alpaca2 template, all 2 earlier exchanges dropped), but a context of " + (alone + 99)
                + " tokens with 100 kept for the answer leaves room for " + (alone - 1), e.getMessage());
    }

    @Test
    void rejectsBudgetsWithoutRoomForAPrompt() {
        Conversation conversation = Conversation.of("hi");
        ChatTemplate raw = ChatTemplates.raw();
        assertEquals("the context must hold at least 1 token, got 0", assertThrows(IllegalArgumentException.class,
                () -> ContextFitter.fit(raw, tokenizer, conversation, 0, 0)).getMessage());
        assertEquals("the room for the answer must be >= 0 tokens, got -1", assertThrows(IllegalArgumentException.class,
                () -> ContextFitter.fit(raw, tokenizer, conversation, 10, -1)).getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ContextFitter.fit(raw, tokenizer, conversation, 100, 100));
        assertEquals("keeping 100 tokens for the answer leaves no room for the prompt in a context of 100 tokens",
                e.getMessage());
    }

    @Test
    void realTokenizerSingleQuestionBudget() {
        Tokenizer real = TestTokenizers.real();
        // The default alpaca2 prompt for this question is 42 ids including BOS (spm_encode gives 41).
        Conversation conversation = Conversation.of("为什么要减少污染，保护环境？");
        assertEquals(42, ContextFitter.fit(ChatTemplates.alpaca2(), real, conversation, 42 + 400, 400).promptTokens());
        assertThrows(IllegalArgumentException.class,
                () -> ContextFitter.fit(ChatTemplates.alpaca2(), real, conversation, 41 + 400, 400));
    }
}
