package io.yinghuo.model.langchain4j;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.memory.chat.TokenWindowChatMemory;
import io.yinghuo.model.chat.ChatTemplate;
import io.yinghuo.model.chat.ChatTemplates;
import io.yinghuo.model.chat.Conversation;
import io.yinghuo.model.synth.SentencePieceModelWriter;
import io.yinghuo.model.testing.SharedData;
import io.yinghuo.model.tokenizer.SentencePieceTokenizer;
import io.yinghuo.model.tokenizer.Tokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The token counter over the model's own tokenizer, and the LangChain4j splitter and memory that use it. */
class YinghuoTokenCountEstimatorTest {

    @TempDir
    static Path dir;
    static Tokenizer tokenizer;

    @BeforeAll
    static void tokenizer() {
        tokenizer = SentencePieceTokenizer.load(SentencePieceModelWriter.small().write(dir.resolve("tokenizer.model")));
    }

    @Test
    void shouldCountTextExactlyAsTheTokenizer() {
        YinghuoTokenCountEstimator estimator = new YinghuoTokenCountEstimator(tokenizer, ChatTemplates.alpaca2());
        for (String text : List.of("hello world", "中国的首都是北京。", "罕见字𠀀 mixed 123")) {
            assertEquals(tokenizer.encode(text).length, estimator.estimateTokenCountInText(text), text);
        }
        assertEquals(0, estimator.estimateTokenCountInText(""));
    }

    /**
     * With the real Chinese-LLaMA-2 tokenizer the estimate meets the template's prompt length up to SentencePiece
     * merges across message boundaries (text right after a template newline loses its word-start mark).
     */
    @ParameterizedTest
    @ValueSource(strings = {"alpaca2", "llama2-chat", "firefly"})
    void shouldCountAConversationAsTheTemplateEncodesIt(String name) {
        Tokenizer real = SentencePieceTokenizer.load(SharedData.chineseLlama2Tokenizer());
        ChatTemplate template = ChatTemplates.byName(name);
        YinghuoTokenCountEstimator estimator = new YinghuoTokenCountEstimator(real, template);
        List<ChatMessage> messages = List.of(SystemMessage.from("你是一个乐于助人的助手，请简洁地回答。"),
                UserMessage.from("中国的首都是哪里？"), AiMessage.from("中国的首都是北京。"),
                UserMessage.from("北京有哪些著名的大学？"), AiMessage.from("北京大学和清华大学都很有名。"),
                UserMessage.from("请介绍一下清华大学。"));
        int exact = template.encode(MessageMapper.toConversation(messages, null).conversation(), real).length;
        int estimate = estimator.estimateTokenCountInMessages(messages);
        assertTrue(Math.abs(exact - estimate) <= 2, name + ": exact " + exact + ", estimate " + estimate);

        List<ChatMessage> noSystem = messages.subList(1, messages.size());
        int exactDefault = template.encode(MessageMapper.toConversation(noSystem, null).conversation(), real).length;
        int estimateDefault = estimator.estimateTokenCountInMessages(noSystem);
        assertTrue(Math.abs(exactDefault - estimateDefault) <= 2, name + ": the default system prompt counts when"
                + " no system message is given: exact " + exactDefault + ", estimate " + estimateDefault);
    }

    /** Without a system prompt Firefly encodes every utterance alone, so the estimate is exact. */
    @Test
    void shouldCountAFireflyConversationExactly() {
        YinghuoTokenCountEstimator estimator = new YinghuoTokenCountEstimator(tokenizer, ChatTemplates.firefly());
        List<ChatMessage> messages = List.of(UserMessage.from("hello world"), AiMessage.from("the world is you"),
                UserMessage.from("中国 and 北京"), AiMessage.from("北京 is in 中国"), UserMessage.from("what is it"));
        assertEquals(ChatTemplates.firefly().encode(MessageMapper.toConversation(messages, null).conversation(),
                tokenizer).length, estimator.estimateTokenCountInMessages(messages));
    }

    @Test
    void shouldSplitDocumentsIntoSegmentsOfAtMostNRealTokens() {
        YinghuoTokenCountEstimator estimator = new YinghuoTokenCountEstimator(tokenizer, ChatTemplates.alpaca2());
        String text = ("中国的首都是北京。北京是中国的首都，也是一座大学很多的城市。\n\n"
                + "Hello world, the world is in the hello of you. 我们可以知道什么问题没有时间。\n").repeat(6);
        List<TextSegment> segments = DocumentSplitters.recursive(24, 0, estimator).split(Document.from(text));
        assertTrue(segments.size() > 3, "split into several segments: " + segments.size());
        for (TextSegment segment : segments) {
            assertTrue(tokenizer.encode(segment.text()).length <= 24, segment.text());
        }
    }

    @Test
    void shouldKeepATokenWindowMemoryWithinItsBudgetEvictingTheOldest() {
        YinghuoTokenCountEstimator estimator = new YinghuoTokenCountEstimator(tokenizer, ChatTemplates.alpaca2());
        int budget = 120;
        TokenWindowChatMemory memory = TokenWindowChatMemory.builder().maxTokens(budget, estimator).build();
        memory.add(SystemMessage.from("you are the world"));
        List<ChatMessage> added = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ChatMessage user = UserMessage.from("question " + i + ": hello world and the world");
            ChatMessage ai = AiMessage.from("answer " + i + ": the world is in the world");
            memory.add(user);
            memory.add(ai);
            added.add(user);
            added.add(ai);
        }
        List<ChatMessage> kept = memory.messages();
        assertTrue(estimator.estimateTokenCountInMessages(kept) <= budget);
        assertTrue(kept.get(0) instanceof SystemMessage, "the system message is kept");
        assertEquals(added.subList(added.size() - (kept.size() - 1), added.size()), kept.subList(1, kept.size()),
                "the newest messages are kept, in order");
        assertTrue(kept.size() < 21, "something was evicted");
    }

    @Test
    void aModelFolderGivesItsTokenizerAndRecognisedTemplateWithoutLoadingWeights() {
        Path folder = TinyChatModel.write(dir);
        YinghuoTokenCountEstimator estimator = YinghuoTokenCountEstimator.forModelFolder(folder);
        assertEquals("alpaca2", estimator.template().name());
        YinghuoTokenCountEstimator same = new YinghuoTokenCountEstimator(tokenizer, ChatTemplates.alpaca2());
        for (String text : List.of("hello world", "中国的首都是北京。")) {
            assertEquals(same.estimateTokenCountInText(text), estimator.estimateTokenCountInText(text), text);
        }
    }
}
