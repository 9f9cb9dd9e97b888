package io.yinghuo.model.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.yinghuo.model.engine.DeviceSpec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same multi-turn conversation through the CPU backend and, where this build has a CUDA backend and a GPU, the
 * CUDA backend, with greedy decoding: both must produce the same tokens. The CPU run always happens (and must be
 * reproducible); the CUDA run is skipped, saying why, when no CUDA backend can be opened.
 */
class BackendParityTest {

    @TempDir
    static Path dir;

    static final List<ChatMessage> CONVERSATION = List.of(SystemMessage.from("Be brief."),
            UserMessage.from("你好，世界"), AiMessage.from("hello world"), UserMessage.from("中国的首都是北京"));

    @Test
    void greedyAnswersAreTheSameTokensOnCpuAndCuda() {
        Path folder = TinyChatModel.write(dir);
        int[] cpu = greedyTokens(folder, DeviceSpec.CPU);
        assertArrayEquals(cpu, greedyTokens(folder, DeviceSpec.CPU), "greedy decoding on the CPU is reproducible");
        assertTrue(cpu.length > 0);

        int[] cuda;
        try {
            cuda = greedyTokens(folder, DeviceSpec.parse("cuda:0"));
        } catch (IllegalArgumentException e) {
            Assumptions.abort("CUDA path skipped, the CPU path ran: " + e.getMessage());
            return;
        }
        assertArrayEquals(cpu, cuda, "CPU and CUDA greedy tokens");
    }

    /** The ids the model sampled for the answer. */
    private static int[] greedyTokens(Path folder, DeviceSpec device) {
        try (YinghuoChatModel model = YinghuoChatModel.builder().modelPath(folder).device(device).threads(1)
                .contextLength(128).temperature(0.0).maxOutputTokens(12).log(line -> { }).build()) {
            ChatResponse response = model.chat(CONVERSATION);
            assertEquals(12, response.tokenUsage().outputTokenCount());
            int[] ids = ((YinghuoChatResponseMetadata) response.metadata()).outputTokenIds();
            assertEquals(response.aiMessage().text(), model.model().tokenizer().decode(ids),
                    "the ids are the answer's");
            return ids;
        }
    }
}
