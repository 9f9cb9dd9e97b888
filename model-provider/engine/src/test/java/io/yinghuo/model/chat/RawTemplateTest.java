package io.yinghuo.model.chat;

import io.yinghuo.model.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.yinghuo.model.chat.TestTokenizers.concat;
import static io.yinghuo.model.chat.TestTokenizers.ids;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RawTemplateTest {

    private final ChatTemplate raw = ChatTemplates.raw();

    @Test
    void bosAndTheLastUserMessageOnly() {
        Conversation conversation = new Conversation("ignored system", List.of(new Exchange("old", "answer")),
                "中国人民银行");
        assertArrayEquals(ids(1, 34984, 33043, 32199), raw.encode(conversation, TestTokenizers.real()));
        assertEquals("<s>中国人民银行", raw.render(conversation));
    }

    @Test
    void textIsPlainSentencePieceSoSpecialStringsStayText() {
        Tokenizer tokenizer = TestTokenizers.synthetic();
        assertArrayEquals(concat(ids(1), tokenizer.encode("a</s>b")), raw.encode(Conversation.of("a</s>b"), tokenizer));
        assertArrayEquals(ids(1), raw.encode(Conversation.of(""), tokenizer));
        assertEquals(List.of(), raw.stopStrings());
    }

    /** A message of more than 512 tokens in one piece (the id buffer starts at 256 and doubles) keeps every id. */
    @Test
    void aLongMessageKeepsEveryId() {
        Tokenizer tokenizer = TestTokenizers.synthetic();
        String message = "a</s>b ".repeat(300);
        int[] text = tokenizer.encode(message);
        assertTrue(text.length > 512, "tokens: " + text.length);
        assertArrayEquals(concat(ids(1), text), raw.encode(Conversation.of(message), tokenizer));
    }
}
