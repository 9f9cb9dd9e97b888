package io.yinghuo.model.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.CustomMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import io.yinghuo.model.chat.Conversation;
import io.yinghuo.model.chat.Exchange;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lenient reading of LangChain4j messages into the templates' strict shape. */
class MessageMapperTest {

    @Test
    void shouldReadAWellFormedConversationAsIs() {
        MessageMapper.Mapped mapped = MessageMapper.toConversation(List.of(SystemMessage.from("s"),
                UserMessage.from("u1"), AiMessage.from("a1"), UserMessage.from("u2")), "default");
        assertEquals(new Conversation("s", List.of(new Exchange("u1", "a1")), "u2"), mapped.conversation());
        assertNull(mapped.prefill());
    }

    @Test
    void shouldMergeSystemMessagesFromAnywhereAndUseTheDefaultOnlyWithoutOne() {
        Conversation merged = MessageMapper.toConversation(List.of(SystemMessage.from("s1"), UserMessage.from("u"),
                SystemMessage.from("s2")), "default").conversation();
        assertEquals(new Conversation("s1\n\ns2", List.of(), "u"), merged);
        assertEquals("default", MessageMapper.toConversation(List.of(UserMessage.from("u")), "default")
                .conversation().systemPrompt());
        assertNull(MessageMapper.toConversation(List.of(UserMessage.from("u")), null).conversation().systemPrompt(),
                "null: the template's own default");
    }

    /** What a memory holds after a cancelled stream: a user message without a reply, then the next one. */
    @Test
    void shouldMergeConsecutiveMessagesOfOneRole() {
        Conversation merged = MessageMapper.toConversation(List.of(UserMessage.from("u1"), UserMessage.from("u2"),
                AiMessage.from("a1"), AiMessage.from("a2"), UserMessage.from("u3")), null).conversation();
        assertEquals(new Conversation(null, List.of(new Exchange("u1\n\nu2", "a1\n\na2")), "u3"), merged);
    }

    @Test
    void shouldPutAnEmptyUserTurnBeforeAConversationThatStartsWithTheAssistant() {
        Conversation greeting = MessageMapper.toConversation(List.of(SystemMessage.from("s"),
                AiMessage.from("How can I help?"), UserMessage.from("u")), null).conversation();
        assertEquals(new Conversation("s", List.of(new Exchange("", "How can I help?")), "u"), greeting);
        assertEquals(new Conversation("s", List.of(), ""), MessageMapper.toConversation(
                List.of(SystemMessage.from("s")), null).conversation(), "system only: an empty question");
    }

    @Test
    void shouldTakeALastAssistantMessageAsPrefill() {
        MessageMapper.Mapped mapped = MessageMapper.toConversation(List.of(UserMessage.from("u"),
                AiMessage.from("The answer is")), null);
        assertEquals(Conversation.of(null, "u"), mapped.conversation());
        assertEquals("The answer is", mapped.prefill());
        assertNull(MessageMapper.toConversation(List.of(UserMessage.from("u"), AiMessage.from("")), null).prefill(),
                "an empty assistant message last prefills nothing");
    }

    @Test
    void shouldRefuseImagesInLangChain4jsWording() {
        UnsupportedFeatureException image = assertThrows(UnsupportedFeatureException.class, () ->
                MessageMapper.toConversation(List.of(UserMessage.from(TextContent.from("what is it?"),
                        ImageContent.from("https://example.com/cat.jpg"))), null));
        assertTrue(image.getMessage().startsWith("Content of type image is not supported yet by this model"
                + " provider"), image.getMessage());
    }

    /** Tool calls are written as the model writes them, results as the user turn that follows. */
    @Test
    void shouldWriteToolCallsAndResultsIntoTheConversation() {
        MessageMapper.Mapped mapped = MessageMapper.toConversation(List.of(UserMessage.from("慕尼黑天气如何？"),
                AiMessage.from(List.of(ToolExecutionRequest.builder().id("call_1").name("weather")
                        .arguments("{\"city\": \"慕尼黑\"}").build())),
                ToolExecutionResultMessage.from("call_1", "weather", "晴，20 度"),
                ToolExecutionResultMessage.from("call_2", "time", "16:00")), null);
        assertEquals("慕尼黑天气如何？", mapped.conversation().history().get(0).user());
        assertEquals("{\"tool_calls\":[{\"name\":\"weather\",\"arguments\":{\"city\":\"慕尼黑\"}}]}",
                mapped.conversation().history().get(0).assistant());
        assertEquals("工具 weather 的结果：晴，20 度\n\n工具 time 的结果：16:00", mapped.conversation().userMessage());
    }

    @Test
    void theTextPartsOfAUserMessageAreJoinedByLines() {
        UserMessage parts = UserMessage.from(TextContent.from("第一段"), TextContent.from("第二段"));
        assertEquals("第一段\n第二段", MessageMapper.toConversation(List.of(parts), null).conversation().userMessage());
        assertEquals("第一段\n第二段", MessageMapper.countableText(parts));
    }

    @Test
    void anEmptyMessageMergedWithTheNextAddsNoBlankLines() {
        AiMessage empty = AiMessage.from("");
        Conversation merged = MessageMapper.toConversation(List.of(UserMessage.from("问"), empty,
                AiMessage.from("答"), UserMessage.from("再问")), null).conversation();
        assertEquals(List.of(new Exchange("问", "答")), merged.history(), "an empty reply joins the next without a gap");
    }

    @Test
    void tokenCountingReadsEveryMessageAsThePromptWritesIt() {
        AiMessage calls = AiMessage.from(List.of(ToolExecutionRequest.builder().id("1").name("add")
                .arguments("{\"a\":1}").build()));
        assertEquals(ToolCallFormat.renderCalls(calls), MessageMapper.countableText(calls));
        ToolExecutionResultMessage result = ToolExecutionResultMessage.from("1", "add", "3");
        assertEquals("工具 add 的结果：3", MessageMapper.countableText(result));
        assertEquals("答", MessageMapper.countableText(AiMessage.from("答")));
        assertEquals("系统", MessageMapper.countableText(SystemMessage.from("系统")));
        assertEquals("", MessageMapper.countableText(AiMessage.builder().build()));
        CustomMessage custom = CustomMessage.from(java.util.Map.of("note", "备注"));
        assertEquals(custom.toString(), MessageMapper.countableText(custom), "any other message counts as printed");
    }
}
