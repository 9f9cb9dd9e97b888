package io.yinghuo.model.chat;

import io.yinghuo.model.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.yinghuo.model.chat.TestTokenizers.concat;
import static io.yinghuo.model.chat.TestTokenizers.ids;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
