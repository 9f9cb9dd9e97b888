package io.yinghuo.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.embeddings.rerank.OnnxCrossEncoder;
import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.model.langchain4j.YinghuoStreamingChatModel;
import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.rag.AnswerListener;
import io.yinghuo.retrieval.rag.AskHandle;
import io.yinghuo.retrieval.rag.AskMode;
import io.yinghuo.retrieval.rag.AskRequest;
import io.yinghuo.retrieval.rag.AskResponse;
import io.yinghuo.retrieval.rag.QaService;
import io.yinghuo.retrieval.rag.QaServiceBuilder;
import io.yinghuo.retrieval.rag.Source;
import io.yinghuo.web.Json;
import io.yinghuo.web.ask.AnswerJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;

/** {@code yinghuo ask}: an answer from the documents of a data folder, with the sources it cites. */
@Command(name = "ask",
        mixinStandardHelpOptions = true,
        description = {
            "Answers a question from the documents of a data folder (read-only; works while another process"
                    + " ingests). A compound question (\"Q1？另外，Q2？\", 以及/并且, \"A和B…分别…\", several named"
                    + " documents) is split into parts, each searched on its own; the evidence is numbered and packed"
                    + " into the model's context; the answer cites it as [1], [2]… and only cited sources are listed."
                    + " When nothing relevant is found the answer is 未找到相关内容. Without --model, the best"
                    + " passages are shown instead of an answer, marked as such.",
            "Modes: ask (default), search (passages only, no model), chat (the model alone).",
            "--json prints one object: {\"mode\", \"kind\", \"question\", \"standalone\", \"parts\", \"answer\","
                    + " \"sources\": [passage], \"evidence\": [passage], \"unknown_citations\", \"prompt_tokens\","
                    + " \"budget_tokens\", \"finish_reason\", \"retrieval_ms\", \"answer_ms\"}; each passage is a hit"
                    + " as `search --json` and GET /api/search write it (document_id, file_name, title, collection,"
                    + " page, heading_path, chunk_index, start, end, score, text, highlights, snippet, snippet_html)"
                    + " plus \"number\" (the [n] in the answer), \"part\" and \"cited\"."})
public final class AskCommand implements Callable<Integer> {


    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data",
            description = "Data folder to answer from. Default: ./data")
    Path data;

    @picocli.CommandLine.Mixin
    IndexOption indexOption = new IndexOption();

    @Option(names = "--mode", paramLabel = "ask|search|chat", defaultValue = "ask",
            description = "Default: ${DEFAULT-VALUE}")
    String mode;

    @Option(names = "--doc", paramLabel = "ID", description = "Only these document ids (repeatable).")
    List<String> docIds = List.of();

    @Option(names = "--collection", paramLabel = "NAME", description = "Only these collections (repeatable).")
    List<String> collections = List.of();

    @Option(names = "--sources", paramLabel = "N", defaultValue = "0",
            description = "Most passages to use (ask) or show (search); 0 = as many as fit (ask), 5 (search).")
    int maxSources;

    @Option(names = "--json", description = "Print one JSON object instead of text (no streaming).")
    boolean json;

    @Mixin
    QaModelOptions modelOptions;

    @Parameters(arity = "1..*", paramLabel = "QUESTION", description = "The question (several words are joined).")
    List<String> question;

    @Override
    public Integer call() throws IOException {
        AskMode askMode = AskMode.parse(mode);
        PrintStream out = Utf8Output.stdout();
        PrintStream err = Utf8Output.stderr();
        if (askMode == AskMode.CHAT && modelOptions.model == null) {
            throw new IllegalArgumentException("--mode chat needs --model DIR");
        }
        OnnxCrossEncoder reranker = modelOptions.reranker(); // before the model: a bad folder fails at once
        ChunkStore index = null;
        try {
            try {
                index = indexOption.address().openReadOnly(DataFolder.at(data));
            } catch (IllegalArgumentException e) {
                if (askMode != AskMode.CHAT) {
                    throw new IllegalArgumentException(e.getMessage() + " (run `yinghuo ingest --data " + data
                            + " FILES...` first)");
                }
            }
            try (YinghuoStreamingChatModel chat = askMode == AskMode.SEARCH ? null
                    : modelOptions.loadModel(err, "ask")) {
                QaServiceBuilder builder = QaService.builder();
                if (index != null) {
                    builder.index(index);
                }
                QaService qa = modelOptions.configure(builder, chat).build();
                AskRequest request = new AskRequest(String.join(" ", question), List.of(), Set.copyOf(docIds),
                        Set.copyOf(collections), askMode, maxSources, chat == null ? null : modelOptions.parameters());
                AskResponse response = run(qa, request, json ? null : out);
                if (json) {
                    out.println(toJson(response));
                } else {
                    printSources(out, response);
                }
            }
        } finally {
            if (reranker != null) {
                reranker.close();
            }
            if (index != null) {
                index.close();
            }
        }
        return 0;
    }

    /** Runs the question; with {@code stream} set, the answer is printed as it comes. */
    static AskResponse run(QaService qa, AskRequest request, PrintStream stream) {
        AskHandle handle = qa.ask(request, stream == null ? AnswerListener.NONE : new AnswerListener() {
            @Override
            public void onEvidence(String standalone, List<String> parts, List<Source> evidence) {
                if (parts.size() > 1) {
                    stream.println("（问题分为 " + parts.size() + " 部分：" + String.join("；", parts) + "）");
                } else if (!standalone.equals(request.question().strip())) {
                    stream.println("（理解为：" + standalone + "）");
                }
            }

            @Override
            public void onToken(String text) {
                stream.print(text);
            }
        });
        try {
            AskResponse response = handle.result().join();
            if (stream != null) {
                stream.println();
            }
            return response;
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static void printSources(PrintStream out, AskResponse response) {
        if (response.sources().isEmpty()) {
            return;
        }
        out.println();
        out.println(response.mode() == AskMode.SEARCH ? "检索结果：" : "来源：");
        for (Source s : response.sources()) {
            String page = s.page() > 0 ? " 第" + s.page() + "页" : "";
            out.printf("[%d] %s%s (document %s, chunk %d, chars %d-%d)%n", s.number(), s.fileName(), page, s.docId(),
                    s.chunkIndex(), s.start(), s.end());
            String text = s.text().replace('\n', ' ').strip();
            out.println("    " + (text.length() > 200 ? text.substring(0, 200) + "…" : text));
        }
    }

    static String toJson(AskResponse r) {
        ObjectNode root = Json.object();
        root.put("mode", r.mode().label());
        root.put("kind", AnswerJson.kind(r));
        root.put("question", r.question());
        root.put("standalone", r.standalone());
        ArrayNode parts = root.putArray("parts");
        r.parts().forEach(parts::add);
        root.put("answer", r.answer());
        Set<Integer> cited = AnswerJson.citedNumbers(r);
        root.set("sources", AnswerJson.sources(r.sources(), cited));
        root.set("evidence", AnswerJson.sources(r.evidence(), cited));
        ArrayNode unknown = root.putArray("unknown_citations");
        r.unknownCitations().forEach(unknown::add);
        root.put("prompt_tokens", r.promptTokens());
        root.put("budget_tokens", r.budgetTokens());
        root.put("finish_reason", r.finishReason());
        root.put("retrieval_ms", r.retrievalMillis());
        root.put("answer_ms", r.answerMillis());
        return Json.write(root);
    }
}
