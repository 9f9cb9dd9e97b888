package io.yinghuo.cli;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import io.yinghuo.model.langchain4j.YinghuoChatModel;
import io.yinghuo.model.synth.SentencePieceModelWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code chat} on a synthesized tiny checkpoint: stdin lines are user turns, answers stream to stdout. */
class ChatCommandTest {

    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void synthesize() {
        model = dir.resolve("tiny");
        Path tokenizer = SentencePieceModelWriter.small().write(dir.resolve("tokenizer.model"));
        CliRun.Result r = CliRun.run("synth-model", "--shape", "tiny", "--tokenizer", tokenizer.toString(), "--out",
                model.toString());
        assertEquals(0, r.code(), r.err());
    }

    private static CliRun.Result chat(String stdin, String... extra) {
        String[] base = {"chat", "--model", model.toString(), "--device", "cpu", "--threads", "1", "--template",
                "alpaca2", "--ctx", "256", "--max-tokens", "5", "--temperature", "0"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.run(stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    @Test
    void answersEachLineKeepingTheConversationAndExitsAtEndOfInput() {
        CliRun.Result two = chat("你好，世界\n\nhello world\n");
        assertEquals(0, two.code(), two.err());
        String[] answers = two.out().split("\n", -1);
        assertEquals(3, answers.length, "two answers, one per line: " + two.out());
        assertEquals("", answers[2]);
        assertTrue(two.err().contains("template alpaca2"), two.err());

        // The second turn was answered with the first exchange in the prompt: the library gives the same greedy
        // answer for that conversation.
        try (YinghuoChatModel library = YinghuoChatModel.builder().modelPath(model).device("cpu").threads(1)
                .chatTemplate("alpaca2").contextLength(256).maxOutputTokens(5).temperature(0.0).log(line -> { })
                .build()) {
            assertEquals(answers[0], library.chat("你好，世界"));
            assertEquals(answers[1], library.chat(List.of(UserMessage.from("你好，世界"), AiMessage.from(answers[0]),
                    UserMessage.from("hello world"))).aiMessage().text());
        }
    }

    @Test
    void reportsATurnThatCannotFitAndGoesOn() {
        String huge = "hello world ".repeat(200);
        CliRun.Result r = chat(huge + "\n你好，世界\n");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("does not fit"), r.err());
        assertEquals(chat("你好，世界\n").out(), r.out(), "the refused turn is left out of the conversation");
    }

    @Test
    void refusesAnUnknownTemplateInOneLine() {
        CliRun.Result r = CliRun.run(new byte[0], "chat", "--model", model.toString(), "--template", "vicuna");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("valid names: alpaca2, llama2-chat, firefly, raw"), r.err());
    }
}
