package io.yinghuo.cli;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.yinghuo.model.langchain4j.YinghuoStreamingChatModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Callable;

/**
 * {@code chat}: a multi-turn conversation in the terminal, built on the LangChain4j provider
 * ({@link YinghuoStreamingChatModel}). Each line of stdin is one user turn; the answer is streamed to stdout as it is
 * decoded and ends with a newline; the conversation is kept (the oldest exchanges are left out when it outgrows the
 * context, with a note on stderr); end of input ends the chat. A turn the model refuses (e.g. a message too long for
 * the context) is reported on stderr and left out of the conversation, and the chat goes on.
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = "Multi-turn chat: one user turn per line of stdin, answers streamed to stdout.")
final class ChatCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model folder.")
    Path model;

    @Option(names = "--ctx", paramLabel = "N",
            description = "Context length in tokens (default: the model's max_position_embeddings).")
    Integer ctx;

    @Mixin
    SamplingOptionsMixin sampling;

    @Mixin
    ModelOptionsMixin modelOptions;

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = System.err;
        try (YinghuoStreamingChatModel chat = buildModel(err)) {
            err.println("chat: " + chat.model().description() + ", template " + chat.chatTemplate().name()
                    + ", context " + chat.contextLength() + " tokens; one message per line, end of input quits");
            if (chat.chatTemplate().name().equals("raw")) {
                err.println("chat: the raw template is plain completion: each line is continued on its own, without"
                        + " the earlier turns; choose --template alpaca2, llama2-chat or firefly for a conversation");
            }
            List<ChatMessage> conversation = new ArrayList<>();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                conversation.add(UserMessage.from(line));
                try {
                    ChatResponse response = answer(chat, conversation, out);
                    conversation.add(response.aiMessage());
                } catch (LangChain4jException | IllegalArgumentException e) {
                    conversation.remove(conversation.size() - 1);
                    err.println("yinghuo chat: " + e.getMessage());
                }
            }
        }
        return 0;
    }

    private YinghuoStreamingChatModel buildModel(PrintStream err) {
        YinghuoStreamingChatModel.YinghuoStreamingChatModelBuilder b = YinghuoStreamingChatModel.builder()
                .modelPath(model)
                .device(modelOptions.toOptions(0).device())
                .threads(modelOptions.threads)
                .ropeScaling(modelOptions.toOptions(0).rope())
                .contextLength(ctx)
                .chatTemplate(sampling.template)
                .systemPrompt(sampling.system)
                .maxOutputTokens(sampling.maxTokens)
                .temperature(sampling.temperature)
                .topK(sampling.topK)
                .topP(sampling.topP)
                .repetitionPenalty(sampling.repetitionPenalty)
                .seed(sampling.seed)
                .log(line -> err.println("chat: " + StartupNoise.logLine(line)));
        if (sampling.stops != null) {
            b.stopSequences(sampling.stops);
        }
        return b.build();
    }

    /** Streams one answer to {@code out} and returns the complete response. */
    private static ChatResponse answer(YinghuoStreamingChatModel chat, List<ChatMessage> conversation,
                                       PrintStream out) {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        boolean[] printed = {false};
        chat.chat(ChatRequest.builder().messages(List.copyOf(conversation)).build(),
                new StreamingChatResponseHandler() {
                    @Override
                    public void onPartialResponse(String partialResponse) {
                        out.print(partialResponse);
                        printed[0] = true;
                    }

                    @Override
                    public void onCompleteResponse(ChatResponse completeResponse) {
                        out.println();
                        done.complete(completeResponse);
                    }

                    @Override
                    public void onError(Throwable error) {
                        if (printed[0]) {
                            out.println();
                        }
                        done.completeExceptionally(error);
                    }
                });
        try {
            return done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
