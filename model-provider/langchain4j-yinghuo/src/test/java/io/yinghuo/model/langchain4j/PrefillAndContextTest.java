package io.yinghuo.model.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.yinghuo.model.chat.ChatTemplates;
import io.yinghuo.model.chat.Conversation;
import io.yinghuo.model.chat.Exchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lenient conversations on a model: merged turns, prefill, and refusing instead of trimming when asked. */
class PrefillAndContextTest {

    static final int CONTEXT = 256;

    @TempDir
    static Path dir;
    static YinghuoChatModel model;

    @BeforeAll
    static void load() {
        model = YinghuoChatModel.builder().modelPath(TinyChatModel.write(dir)).device("cpu").threads(1)
                .contextLength(CONTEXT).temperature(0.0).maxOutputTokens(4).log(line -> { }).build();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void shouldAnswerMergedTurnsAsTheMergedConversation() {
        ChatResponse merged = model.chat(SystemMessage.from("a"), UserMessage.from("hello"), SystemMessage.from("b"),
                UserMessage.from("world"));
        ChatResponse explicit = model.chat(SystemMessage.from("a\n\nb"), UserMessage.from("hello\n\nworld"));
        assertEquals(explicit.aiMessage().text(), merged.aiMessage().text());
        assertEquals(explicit.tokenUsage().inputTokenCount(), merged.tokenUsage().inputTokenCount());
    }

    @Test
    void shouldContinueFromAnAssistantPrefill() {
        // when
        ChatResponse prefilled = model.chat(UserMessage.from("hello"), AiMessage.from("the world"));

        // then: the prompt is the template's plus the prefill's own ids, and the answer holds only what follows
        int prompt = ChatTemplates.alpaca2().encode(Conversation.of("hello"), model.model().tokenizer()).length;
        int prefill = model.model().tokenizer().encode("the world").length;
        assertEquals(prompt + prefill, prefilled.tokenUsage().inputTokenCount());
        assertEquals(4, prefilled.tokenUsage().outputTokenCount());
        assertTrue(!prefilled.aiMessage().text().startsWith("the world"), prefilled.aiMessage().text());
    }

    @Test
    void shouldRefuseInsteadOfDroppingExchangesWhenAsked() {
        // given: a history that only fits without its oldest exchanges
        List<ChatMessage> messages = new ArrayList<>();
        List<Exchange> history = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            messages.add(UserMessage.from("question " + i + " hello world and the world"));
            messages.add(AiMessage.from("answer " + i + " the world is in the world of hello"));
            history.add(new Exchange("question " + i + " hello world and the world",
                    "answer " + i + " the world is in the world of hello"));
        }
        messages.add(UserMessage.from("hello"));
        ChatRequest strict = ChatRequest.builder().messages(messages)
                .parameters(YinghuoChatRequestParameters.builder().dropOldestExchanges(false).build()).build();

        // when
        ContextLengthExceededException e = assertThrows(ContextLengthExceededException.class,
                () -> model.chat(strict));

        // then: the numbers of the whole conversation, as sent
        int whole = ChatTemplates.alpaca2().encode(new Conversation(null, history, "hello"),
                model.model().tokenizer()).length;
        assertEquals(whole, e.promptTokens());
        assertEquals(CONTEXT, e.contextLength());
        assertEquals(4, e.answerTokens());
        assertTrue(e.getMessage().contains("maximum context length is 256 tokens"), e.getMessage());
        assertTrue(e.getMessage().contains(whole + " tokens"), e.getMessage());
        assertTrue(model.chat(messages).metadata() instanceof YinghuoChatResponseMetadata m
                && m.droppedExchanges() > 0, "by default the oldest exchanges are left out instead");

        // and validate, which a server calls before committing to a response, refuses it the same way
        assertThrows(ContextLengthExceededException.class, () -> model.validate(strict));
        model.validate(ChatRequest.builder().messages(messages).build());
        assertThrows(dev.langchain4j.exception.UnsupportedFeatureException.class, () -> model.validate(
                ChatRequest.builder().messages(UserMessage.from("hi")).frequencyPenalty(0.5).build()));
    }
}
