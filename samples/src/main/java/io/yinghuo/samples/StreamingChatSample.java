package io.yinghuo.samples;

import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.TokenStream;
import io.yinghuo.model.langchain4j.YinghuoStreamingChatModel;
import io.yinghuo.model.runtime.LlamaModel;
import io.yinghuo.model.synth.CheckpointSynthesizer;
import io.yinghuo.model.synth.SentencePieceModelWriter;
import io.yinghuo.model.synth.Shape;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A LangChain4j AI service that chats with a local GPTQ Chinese LLaMA-2 model, streaming the answers:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp ... io.yinghuo.samples.StreamingChatSample [MODEL_DIR [DEVICE]]
 * </pre>
 *
 * <p>{@code MODEL_DIR} is a model folder such as Chinese-Alpaca-2-7B-GPTQ (config.json, quantize_config.json,
 * *.safetensors, tokenizer.model); {@code DEVICE} is auto (default), cpu, cuda or cuda:N. Without a folder the sample
 * synthesizes a tiny model with random weights into a temporary folder, so it runs anywhere in seconds; its answers
 * are then random text, which shows the plumbing, not the model.
 */
public final class StreamingChatSample {

    /** The AI service: LangChain4j implements it, keeping the conversation in the chat memory. */
    interface Assistant {
        @SystemMessage("You are a helpful assistant. 你是一个乐于助人的助手。请简洁地回答。")
        TokenStream chat(String message);
    }

    static final List<String> QUESTIONS = List.of("中国的首都是哪里？", "它有哪些著名的大学？");

    private StreamingChatSample() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Path folder;
        int maxTokens;
        if (args.length > 0) {
            folder = Path.of(args[0]);
            maxTokens = 400;
        } else {
            folder = synthesizeTinyModel();
            maxTokens = 16;
            out.println("No model folder given: using a tiny model with random weights in " + folder
                    + ". Its answers are random text; pass a model folder to chat with a real model.");
        }
        String device = args.length > 1 ? args[1] : "auto";

        try (YinghuoStreamingChatModel model = YinghuoStreamingChatModel.builder()
                .modelPath(folder)
                .device(device)
                .contextLength(args.length > 0 ? 4096 : 512)
                .maxOutputTokens(maxTokens)
                .log(line -> out.println("[" + line + "]"))
                .build()) {
            Assistant assistant = AiServices.builder(Assistant.class)
                    .streamingChatModel(model)
                    .chatMemory(MessageWindowChatMemory.withMaxMessages(20))
                    .build();
            for (String question : QUESTIONS) {
                out.println("用户: " + question);
                out.print("助手: ");
                ChatResponse response = ask(assistant, question, out);
                out.println();
                out.println("(" + response.tokenUsage().inputTokenCount() + " prompt tokens, "
                        + response.tokenUsage().outputTokenCount() + " answer tokens, finish "
                        + response.finishReason() + ")");
            }
        }
    }

    /** Streams one answer to {@code out} and waits for it to complete. */
    static ChatResponse ask(Assistant assistant, String question, PrintStream out) {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        assistant.chat(question)
                .onPartialResponse(out::print)
                .onCompleteResponse(done::complete)
                .onError(done::completeExceptionally)
                .start();
        return done.join();
    }

    /** A tiny random-weight Chinese-Alpaca-2-shaped model (alpaca2 template recognised from the folder name). */
    static Path synthesizeTinyModel() throws IOException {
        Path folder = Files.createTempDirectory("yinghuo-sample-").resolve("Chinese-Alpaca-2-tiny-random");
        Files.createDirectories(folder);
        CheckpointSynthesizer.builder().shape(Shape.TINY).seed(1).build().write(folder);
        SentencePieceModelWriter.small().write(folder.resolve(LlamaModel.TOKENIZER_FILE));
        return folder;
    }
}
