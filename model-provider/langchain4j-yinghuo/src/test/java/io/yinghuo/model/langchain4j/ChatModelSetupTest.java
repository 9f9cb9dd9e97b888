package io.yinghuo.model.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import io.yinghuo.model.chat.ChatTemplates;
import io.yinghuo.model.chat.Conversation;
import io.yinghuo.model.engine.rope.RopeSpec;
import io.yinghuo.model.runtime.ModelRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a chat model's builder sets and what a request turns into before any generation: defaults, the template,
 * the notes it logs, the prompt it builds (where the answer-format instruction goes, which exchanges are left out).
 * Nothing here generates text, so it checks the request path quickly.
 */
class ChatModelSetupTest {

    static final int CONTEXT = 256;

    @TempDir
    static Path dir;
    static Path folder;
    static YinghuoChatModel model;

    @BeforeAll
    static void load() {
        folder = TinyChatModel.write(dir);
        model = YinghuoChatModel.builder().modelPath(folder).device("cpu").threads(1).contextLength(CONTEXT)
                .log(line -> { }).build();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** Built in the test, not in {@code @BeforeAll}: what it checks happens while a chat model is built. */
    @Test
    void theTemplateIsRecognisedFromTheFolderAndTheChoiceIsLogged() {
        List<String> notes = new ArrayList<>();
        try (YinghuoChatModel built = YinghuoChatModel.builder().modelPath(folder).device("cpu").threads(1)
                .contextLength(CONTEXT).maxSequences(1).log(notes::add).build()) {
            assertEquals("alpaca2", built.chatTemplate().name());
            assertTrue(notes.stream().anyMatch(line -> line.startsWith("yinghuo: chat template alpaca2 (")),
                    notes.toString());
            assertEquals(CONTEXT, built.contextLength());
            assertEquals(1, built.worker().slots(), "maxSequences(1): one generation at a time");
        }
        try (YinghuoChatModel typed = YinghuoChatModel.builder().model(model.model()).chatTemplate(ChatTemplates.raw())
                .log(line -> { }).build()) {
            assertEquals("raw", typed.chatTemplate().name());
        }
    }

    @Test
    void aDefaultThisProviderCannotHonourIsRefusedWhenTheModelIsBuilt() {
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class, () -> YinghuoChatModel
                .builder().model(model.model()).log(line -> { })
                .defaultRequestParameters(ChatRequestParameters.builder().frequencyPenalty(0.5).build()).build());
        assertTrue(e.getMessage().startsWith("'frequencyPenalty' parameter is not supported yet"), e.getMessage());
    }

    @Test
    void everyBuilderSettingReachesTheDefaultsOfEachRequest() {
        ChatModelListener listener = new ChatModelListener() { };
        try (YinghuoChatModel configured = YinghuoChatModel.builder().model(model.model()).chatTemplate("firefly")
                .modelName("萤火-tiny").temperature(0.7).topK(5).topP(0.5).repetitionPenalty(1.3).seed(9L)
                .maxOutputTokens(12).stopSequences(List.of("END")).systemPrompt("你是萤火。")
                .listeners(List.of(listener)).log(line -> { }).build()) {
            YinghuoChatRequestParameters defaults = configured.defaultRequestParameters();
            assertEquals("firefly", configured.chatTemplate().name());
            assertEquals("萤火-tiny", defaults.modelName());
            assertEquals(0.7, defaults.temperature());
            assertEquals(5, defaults.topK());
            assertEquals(0.5, defaults.topP());
            assertEquals(1.3, defaults.repetitionPenalty());
            assertEquals(9L, defaults.seed());
            assertEquals(12, defaults.maxOutputTokens());
            assertEquals(List.of("END"), defaults.stopSequences());
            assertEquals(List.of(listener), configured.listeners());
            Conversation prompt = configured.prepare(ChatRequest.builder().messages(UserMessage.from("你好")).build(),
                    configured.checkSupported(ChatRequest.builder().messages(UserMessage.from("你好")).build()))
                    .prompt().conversation();
            assertEquals("你是萤火。", prompt.systemPrompt(), "the builder's system prompt stands in for a missing one");
        }
    }

    @Test
    void aResponseIdAsADefaultIsRefusedAndTheWeightsItLoadedAreFreed() {
        int held = ModelRegistry.heldModels();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> YinghuoChatModel.builder()
                .modelPath(folder).device("cpu").threads(1).contextLength(128).log(line -> { })
                .defaultRequestParameters(YinghuoChatRequestParameters.builder().responseId("chatcmpl-1").build())
                .build());
        assertTrue(e.getMessage().startsWith("responseId is a per-request parameter"), e.getMessage());
        assertEquals(held, ModelRegistry.heldModels(), "the model loaded for the refused chat model is released");
    }

    @Test
    void optionsFixedAtLoadingCannotBeSetBesideALoadedModel() {
        for (java.util.function.UnaryOperator<YinghuoChatModel.YinghuoChatModelBuilder> option : List.<java.util.function
                .UnaryOperator<YinghuoChatModel.YinghuoChatModelBuilder>>of(b -> b.device("cpu"), b -> b.threads(1),
                b -> b.contextLength(64), b -> b.ropeScaling("none"), b -> b.ropeScaling(RopeSpec.NONE),
                b -> b.maxSequences(2))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> option.apply(YinghuoChatModel.builder().model(model.model())).build());
            assertTrue(e.getMessage().contains("cannot be set together with an already loaded model"), e.getMessage());
        }
    }

    private static Conversation promptOf(YinghuoBaseChatModel chatModel, ChatRequest request) {
        return chatModel.prepare(request, chatModel.checkSupported(request)).prompt().conversation();
    }

    @Test
    void theJsonInstructionJoinsTheGivenSystemPromptOrTheTemplatesDefault() {
        String instruction = "请只输出一个 JSON 对象，不要输出其他文字。";
        Conversation given = promptOf(model, ChatRequest.builder().messages(SystemMessage.from("你是助手。"),
                UserMessage.from("你好")).responseFormat(ResponseFormat.JSON).build());
        assertEquals("你是助手。\n\n" + instruction, given.systemPrompt());
        assertEquals("你好", given.userMessage());

        Conversation fallback = promptOf(model, ChatRequest.builder().messages(UserMessage.from("你好"))
                .responseFormat(ResponseFormat.JSON).build());
        assertEquals(ChatTemplates.alpaca2().defaultSystemPrompt() + "\n\n" + instruction, fallback.systemPrompt());

        try (YinghuoChatModel raw = YinghuoChatModel.builder().model(model.model()).chatTemplate("raw")
                .log(line -> { }).build()) {
            Conversation noSystem = promptOf(raw, ChatRequest.builder().messages(UserMessage.from("你好"))
                    .responseFormat(ResponseFormat.JSON).build());
            assertNull(noSystem.systemPrompt());
            assertEquals("你好\n\n" + instruction, noSystem.userMessage(), "a template without a system block");
        }
        Conversation text = promptOf(model, ChatRequest.builder().messages(SystemMessage.from("你是助手。"),
                UserMessage.from("你好")).build());
        assertEquals("你是助手。", text.systemPrompt(), "free text adds no instruction");
    }

    @Test
    void leavingOutOldExchangesIsLoggedWithTheCountsAndFittingIsNot() {
        List<String> notes = new ArrayList<>();
        try (YinghuoChatModel noted = YinghuoChatModel.builder().model(model.model()).maxOutputTokens(100)
                .log(notes::add).build()) {
            String longTurn = "这是一个很长的问题，".repeat(6);
            ChatRequest fits = ChatRequest.builder().messages(UserMessage.from("你好"), AiMessage.from("你好！"),
                    UserMessage.from("再见")).build();
            assertEquals(0, noted.prepare(fits, noted.checkSupported(fits)).prompt().droppedExchanges());
            assertTrue(notes.stream().noneMatch(line -> line.contains("left out")), notes.toString());

            ChatRequest tooLong = ChatRequest.builder().messages(UserMessage.from(longTurn), AiMessage.from(longTurn),
                    UserMessage.from(longTurn), AiMessage.from(longTurn), UserMessage.from("再见")).build();
            PreparedChat prepared = noted.prepare(tooLong, noted.checkSupported(tooLong));
            int dropped = prepared.prompt().droppedExchanges();
            assertTrue(dropped > 0, "the conversation is longer than " + CONTEXT + " tokens less 100 for the answer");
            assertEquals(List.of("yinghuo: left out the " + dropped + " oldest of 2 exchanges so the prompt ("
                    + prepared.prompt().ids().length + " tokens) and 100 tokens for the answer fit the context of "
                    + CONTEXT), notes.stream().filter(line -> line.contains("left out")).toList());
        }
    }
}
