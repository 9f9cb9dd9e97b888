package com.example.consumer;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.service.AiServices;
import io.yinghuo.model.langchain4j.YinghuoChatModel;
import io.yinghuo.model.runtime.LlamaModel;
import io.yinghuo.model.synth.CheckpointSynthesizer;
import io.yinghuo.model.synth.SentencePieceModelWriter;
import io.yinghuo.model.synth.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Records and @Tool methods through AI services, from the published artifacts only (random weights). */
class StructuredAndToolsTest {

    enum Mood { HAPPY, SAD }

    record Note(Mood mood, int score, boolean urgent) {
    }

    interface Reader {
        Note read(String text);
    }

    interface Assistant {
        String chat(String message);
    }

    enum City { BEIJING, SHANGHAI }

    @TempDir
    Path dir;

    @Test
    void aRecordComesBackAndTheModelCallsTools() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("Chinese-Alpaca-2-tiny"));
        CheckpointSynthesizer.builder().shape(Shape.TINY).seed(5).build().write(folder);
        SentencePieceModelWriter.small().write(folder.resolve(LlamaModel.TOKENIZER_FILE));
        List<City> called = new ArrayList<>();
        Object tools = new Object() {
            @Tool("weather of a city")
            String weather(City city) {
                called.add(city);
                return "sunny";
            }
        };
        try (YinghuoChatModel model = YinghuoChatModel.builder().modelPath(folder).device("cpu")
                .contextLength(2048).maxOutputTokens(600).temperature(1.0).seed(1L).build()) {
            assertNotNull(AiServices.create(Reader.class, model).read("I passed the exam!"));
        }
        // ToolChoice.REQUIRED: the answer must be a call, so random weights call too; the service then calls the
        // model again (still required to call), and its limit of one round ends the conversation.
        try (YinghuoChatModel model = YinghuoChatModel.builder().modelPath(folder).device("cpu")
                .contextLength(2048).maxOutputTokens(600).temperature(1.0).seed(1L)
                .defaultRequestParameters(ChatRequestParameters.builder().toolChoice(ToolChoice.REQUIRED).build())
                .build()) {
            RuntimeException limit = assertThrows(RuntimeException.class, () -> AiServices.builder(Assistant.class)
                    .chatModel(model).tools(tools).maxSequentialToolsInvocations(1).build()
                    .chat("Weather in Beijing?"));
            assertTrue(String.valueOf(limit.getMessage()).contains("round trips"), limit.toString());
        }
        assertFalse(called.isEmpty(), "the model called the tool with a valid city");
    }
}
