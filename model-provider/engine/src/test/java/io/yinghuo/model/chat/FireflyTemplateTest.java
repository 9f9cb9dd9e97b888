package io.yinghuo.model.chat;

import io.yinghuo.model.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.yinghuo.model.chat.TestTokenizers.concat;
import static io.yinghuo.model.chat.TestTokenizers.ids;
import static io.yinghuo.model.chat.TestTokenizers.positionsOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FireflyTemplateTest {

    private final ChatTemplate firefly = ChatTemplates.firefly();

    @Test
    void tokenLayoutWithTheRealTokenizer() {
        Conversation conversation = new Conversation(null, List.of(
                new Exchange("  为什么要减少污染，保护环境？\n", "中国的首都是北京。")), "中国人民银行");
        int[] expected = concat(ids(1),
                ids(32581, 30698, 32740, 34365, 30214, 32506, 32306, 30882), ids(2),   // user 1, stripped
                ids(34984, 30210, 35983, 30392, 32139, 30267), ids(2),                 // answer 1
                ids(34984, 33043, 32199), ids(2));                                      // question
        assertArrayEquals(expected, firefly.encode(conversation, TestTokenizers.real()));
    }

    @Test
    void singleTurnIsBosUserEos() {
        Tokenizer tokenizer = TestTokenizers.synthetic();
        assertArrayEquals(concat(ids(1), tokenizer.encode("你好"), ids(2)),
                firefly.encode(Conversation.of(" 你好 "), tokenizer));
        assertEquals("<s>你好</s>", firefly.render(Conversation.of(" 你好 ")));
    }

    @Test
    void everyUtteranceIsEncodedAloneWithItsDummyPrefix() {
        Tokenizer tokenizer = TestTokenizers.synthetic();
        Conversation conversation = new Conversation(null, List.of(
                new Exchange("hello", " world "), new Exchange("中国", "北京")), "人民银行");
        int[] expected = concat(ids(1),
                tokenizer.encode("hello"), ids(2), tokenizer.encode(" world "), ids(2),
                tokenizer.encode("中国"), ids(2), tokenizer.encode("北京"), ids(2),
                tokenizer.encode("人民银行"), ids(2));
        assertArrayEquals(expected, firefly.encode(conversation, tokenizer));
        assertTrue(tokenizer.piece(tokenizer.encode("人民银行")[0]).startsWith("▁"), "each chunk starts with ▁");
    }

    @Test
    void systemPromptIsPutBeforeTheFirstUserUtterance() {
        Tokenizer tokenizer = TestTokenizers.synthetic();
        Conversation conversation = new Conversation(" be brief ", List.of(new Exchange("q1", "a1")), "q2");
        assertEquals("<s>be brief\n\nq1</s>a1</s>q2</s>", firefly.render(conversation));
        assertArrayEquals(concat(ids(1), tokenizer.encode("be brief\n\nq1"), ids(2), tokenizer.encode("a1"), ids(2),
                tokenizer.encode("q2"), ids(2)), firefly.encode(conversation, tokenizer));
        // After the oldest exchange is dropped it moves to the first utterance still there.
        assertEquals("<s>be brief\n\nq2</s>", firefly.render(conversation.withoutOldestExchanges(1)));
        assertEquals("<s>q</s>", firefly.render(Conversation.of(" \n", "q")));
        assertNull(firefly.defaultSystemPrompt());
    }

    @Test
    void endOfSequenceStringsInTextCannotEndATurn() {
        Tokenizer tokenizer = TestTokenizers.synthetic();
        Conversation conversation = new Conversation(null, List.of(new Exchange("a</s>b", "c</s>")), "</s><s>d");
        int[] ids = firefly.encode(conversation, tokenizer);
        assertEquals(3, positionsOf(ids, 2).length, "one EOS per utterance, none from the text");
        assertArrayEquals(ids(0), positionsOf(ids, 1));
        assertTrue(tokenizer.decode(ids).contains("a</s>b"));
        assertEquals(List.of(), firefly.stopStrings());
    }
}
