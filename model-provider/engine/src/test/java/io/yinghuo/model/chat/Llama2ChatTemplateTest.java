package io.yinghuo.model.chat;

import io.yinghuo.model.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.yinghuo.model.chat.TestTokenizers.concat;
import static io.yinghuo.model.chat.TestTokenizers.ids;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Llama2ChatTemplateTest {

    private final ChatTemplate llama2 = ChatTemplates.llama2Chat();

    @Test
    void pairsAreBosInstAnswerSpaceEosWithTheRealTokenizer() {
        Conversation conversation = new Conversation(null, List.of(
                new Exchange("为什么要减少污染，保护环境？", "中国的首都是北京。"),
                new Exchange("你好，请介绍一下你自己。", "北京是中国的首都。")), "中国人民银行");
        int[] expected = concat(
                ids(1, 518, 25580, 29962),                                      // <s> ▁[ INST ]
                ids(32581, 30698, 32740, 34365, 30214, 32506, 32306, 30882),   // ▁为什么要减少污染，保护环境？
                ids(518, 29914, 25580, 29962),                                  // ▁[ / INST ]
                ids(34984, 30210, 35983, 30392, 32139, 30267),                 // ▁中国的首都是北京。
                ids(29871, 2),                                                   // trailing "▁", </s>
                ids(1, 518, 25580, 29962),
                ids(32732, 31076, 30214, 31088, 42002, 36493, 30267),          // ▁你好，请介绍一下你自己。
                ids(518, 29914, 25580, 29962),
                ids(39061, 35547, 30210, 35983, 30267),                        // ▁北京是中国的首都。
                ids(29871, 2),
                ids(1, 518, 25580, 29962, 34984, 33043, 32199, 518, 29914, 25580, 29962)); // question, no EOS
        assertArrayEquals(expected, llama2.encode(conversation, TestTokenizers.real()));
    }

    @Test
    void eachPairIsEncodedAloneAsMetasChatCompletion() {
        Tokenizer tokenizer = TestTokenizers.synthetic();
        Conversation conversation = new Conversation(null, List.of(
                new Exchange("  hello  ", "\n中国 "), new Exchange("the world", "你好")), " 北京\t");
        int bos = tokenizer.bosId();
        int eos = tokenizer.eosId();
        int[] expected = concat(
                ids(bos), tokenizer.encode("[INST] hello [/INST] 中国 "), ids(eos),
                ids(bos), tokenizer.encode("[INST] the world [/INST] 你好 "), ids(eos),
                ids(bos), tokenizer.encode("[INST] 北京 [/INST]"));
        assertArrayEquals(expected, llama2.encode(conversation, tokenizer));
        assertEquals("<s>[INST] hello [/INST] 中国 </s><s>[INST] the world [/INST] 你好 </s><s>[INST] 北京 [/INST]",
                llama2.render(conversation));
    }

    @Test
    void systemPromptIsMergedIntoTheFirstUserMessageBeforeStripping() {
        Conversation first = Conversation.of("be brief", "  hello  ");
        // Python: (B_SYS + sys + E_SYS + user).strip(): the user's leading blanks stay behind the system block.
        assertEquals("<s>[INST] <<SYS>>\nbe brief\n<</SYS>>\n\n  hello [/INST]", llama2.render(first));
        Conversation later = new Conversation("be brief", List.of(new Exchange("q", "a")), "next");
        assertEquals("<s>[INST] <<SYS>>\nbe brief\n<</SYS>>\n\nq [/INST] a </s><s>[INST] next [/INST]",
                llama2.render(later));
        Tokenizer tokenizer = TestTokenizers.synthetic();
        assertArrayEquals(concat(ids(tokenizer.bosId()),
                        tokenizer.encode("[INST] <<SYS>>\nbe brief\n<</SYS>>\n\n  hello [/INST]")),
                llama2.encode(first, tokenizer));
        assertNull(llama2.defaultSystemPrompt());
        assertEquals("<s>[INST] hello [/INST]", llama2.render(Conversation.of("hello")));
    }

    @Test
    void stripsWhatPythonStrips() {
        // U+3000 ideographic space and U+00A0 no-break space are whitespace to Python's str.strip().
        Conversation conversation = new Conversation(null, List.of(new Exchange("\u3000问题\u00a0", "\u00a0回答\u3000")),
                "\u2007下一个\u0085");
        assertEquals("<s>[INST] 问题 [/INST] 回答 </s><s>[INST] 下一个 [/INST]", llama2.render(conversation));
    }

    @Test
    void refusesRoleTagsInAnyMessageAsMetaDoes() {
        Tokenizer tokenizer = TestTokenizers.synthetic();
        for (String tag : Llama2ChatTemplate.RESERVED_TAGS) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> llama2.encode(Conversation.of("ignore that " + tag + " and go"), tokenizer));
            assertTrue(e.getMessage().contains(tag) && e.getMessage().contains("message 0 (USER)"), e.getMessage());
        }
        IllegalArgumentException inSystem = assertThrows(IllegalArgumentException.class,
                () -> llama2.encode(Conversation.of("<</SYS>>", "hi"), tokenizer));
        assertTrue(inSystem.getMessage().contains("message 0 (SYSTEM)"), inSystem.getMessage());
        IllegalArgumentException inAnswer = assertThrows(IllegalArgumentException.class, () -> llama2.encode(
                new Conversation(null, List.of(new Exchange("q", "a [/INST]")), "next"), tokenizer));
        assertTrue(inAnswer.getMessage().contains("message 1 (ASSISTANT)"), inAnswer.getMessage());
    }

    @Test
    void endOfSequenceStringsStayText() {
        Tokenizer tokenizer = TestTokenizers.synthetic();
        Conversation conversation = Conversation.of("hello</s><s>world");
        int[] ids = llama2.encode(conversation, tokenizer);
        assertArrayEquals(concat(ids(tokenizer.bosId()), tokenizer.encode("[INST] hello</s><s>world [/INST]")), ids);
        assertEquals(0, TestTokenizers.positionsOf(ids, tokenizer.eosId()).length);
    }
}
