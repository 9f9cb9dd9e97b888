package io.yinghuo.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.ingest.pipeline.DocumentIds;
import io.yinghuo.ingest.pipeline.IngestJob;
import io.yinghuo.ingest.pipeline.IngestOptions;
import io.yinghuo.ingest.pipeline.IngestPipeline;
import io.yinghuo.ingest.pipeline.IngestSource;
import io.yinghuo.model.langchain4j.YinghuoStreamingChatModel;
import io.yinghuo.ingest.pipeline.VectorProgress;
import io.yinghuo.retrieval.eval.EvalDocument;
import io.yinghuo.retrieval.rag.PartQuotaContentAggregator;
import io.yinghuo.retrieval.rag.QaServiceBuilder;
import io.yinghuo.retrieval.vectors.Embedder;
import io.yinghuo.retrieval.eval.EvalFiles;
import io.yinghuo.retrieval.eval.EvalQuestion;
import io.yinghuo.retrieval.eval.QaEvaluator;
import io.yinghuo.retrieval.eval.QaReport;
import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.rag.AnswerKind;
import io.yinghuo.retrieval.rag.AskRequest;
import io.yinghuo.retrieval.rag.QaService;
import io.yinghuo.retrieval.search.ChunkSearcher;
import io.yinghuo.retrieval.search.SearchRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code yinghuo eval-qa}: the whole answering pipeline over an evaluation set. */
@Command(name = "eval-qa",
        mixinStandardHelpOptions = true,
        description = {
            "Ingests the documents into a fresh temporary data folder through the normal ingest pipeline, asks every"
                    + " question through the whole answering pipeline (follow-up rewriting, splitting into parts,"
                    + " per-part retrieval, context packing within the token budget, the model, citations) and"
                    + " reports per questions file and question type (single, multi-document):",
            "  evidence coverage: every part's gold document, with a passage containing one of its reference"
                    + " answers, is in the packed context (needs no model);",
            "  exact match and F1 as the CMRC 2018 script scores them (model answers only; meaningful with a real"
                    + " model); citation precision (cited sources that contain a reference answer); latency.",
            "Files: as eval-retrieval (the CMRC 2018 / DRCD dev files)."})
public final class EvalQaCommand implements Callable<Integer> {


    @Option(names = "--docs", paramLabel = "FILE", required = true,
            description = "Documents JSONL (repeatable; all are indexed together).")
    List<Path> documentFiles;

    @Option(names = "--questions", paramLabel = "FILE", required = true,
            description = "Questions JSONL (repeatable; figures are reported per file).")
    List<Path> questionFiles;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
            description = "Ask only the first N questions of each file (0 = all).")
    int limit;

    @Option(names = "--lexical-only",
            description = "Measure keyword retrieval only (no embedding model): what serve --no-vectors uses.")
    boolean lexicalOnly;

    @Option(names = "--min-similarity", paramLabel = "X,...", split = ",",
            description = "Vector relevance floor ((1 + cos) / 2) of the hybrid run; several values give one hybrid"
                    + " run each, on the same index. Default: the server's, "
                    + PartQuotaContentAggregator.DEFAULT_MIN_SIMILARITY)
    List<Double> minSimilarities;

    @Option(names = "--unrelated", paramLabel = "FILE",
            description = "Questions the documents do not answer, one per line: reports how many get 未找到相关内容"
                    + " (the relevance floor's other side: a floor that keeps every reworded answer must still turn"
                    + " these away).")
    Path unrelatedFile;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Mixin
    QaModelOptions modelOptions;

    @Mixin
    IndexOption indexOption = new IndexOption();

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0, got " + limit);
        }
        PrintStream err = Utf8Output.stderr();
        List<EvalDocument> documents = readDocuments();
        Map<String, List<EvalQuestion>> sets = readQuestions(documents);
        Map<String, List<QaReport>> reportsByRetrieval = new LinkedHashMap<>();
        Map<String, Integer> unrelatedNotFound = new LinkedHashMap<>();
        List<String> unrelated = unrelatedFile == null ? List.of() : java.nio.file.Files.readAllLines(unrelatedFile)
                .stream().map(String::strip).filter(line -> !line.isEmpty()).toList();
        String setup;
        try (ScratchFolders scratch = new ScratchFolders();
             YinghuoStreamingChatModel chat = modelOptions.loadModel(err, "eval-qa")) {
            DataFolder folder = DataFolder.at(scratch.create("yinghuo-eval-qa-"));
            IngestOptions options = IngestOptions.defaults();
            try (IndexOption.EvalStore eval = indexOption.openEmpty(folder, options.profile());
                 IngestPipeline pipeline = IngestPipeline.open(folder, eval.store(), options)) {
                ChunkStore index = eval.store();
                Map<String, String> evalIdByDocId = ingest(new ChunkSearcher(index), pipeline, documents);
                // The default configuration first (what serve uses: hybrid with the built-in model), then keywords
                // only, on the same index.
                Map<String, ChunkSearcher> searchers = new LinkedHashMap<>();
                Map<String, Double> floors = new LinkedHashMap<>();
                if (!lexicalOnly) {
                    Embedder embedder = EmbeddingChoice.unless(false);
                    VectorProgress vectors = pipeline.startVectors(embedder).awaitComplete();
                    err.printf("eval-qa: %s, %.1f chunks/s%n", vectors.label(), vectors.chunksPerSecond());
                    ChunkSearcher hybrid = new ChunkSearcher(index, embedder);
                    if (minSimilarities == null || minSimilarities.isEmpty()) {
                        searchers.put("hybrid", hybrid);
                    } else {
                        for (double floor : minSimilarities) {
                            String name = minSimilarities.size() == 1 ? "hybrid" : "hybrid, min similarity " + floor;
                            searchers.put(name, hybrid);
                            floors.put(name, floor);
                        }
                    }
                }
                searchers.put("lexical", new ChunkSearcher(index));
                String described = null;
                for (Map.Entry<String, ChunkSearcher> retrieval : searchers.entrySet()) {
                    QaServiceBuilder builder = modelOptions.configure(QaService.builder().index(index)
                            .searcher(retrieval.getValue()), chat);
                    if (floors.containsKey(retrieval.getKey())) {
                        builder.minSimilarity(floors.get(retrieval.getKey()));
                    }
                    QaService qa = builder.build();
                    if (described == null) {
                        described = String.format("%d documents, %d chunks; context %d tokens, %d kept for the"
                                        + " answer; %s", documents.size(), index.chunkCount(), qa.contextTokens(),
                                modelOptions.maxTokens, chat == null ? "no model (evidence only)"
                                        : "model " + chat.model().description());
                        err.println("eval-qa: " + described);
                    }
                    reportsByRetrieval.put(retrieval.getKey(), evaluate(qa, chat, sets, evalIdByDocId, err));
                    int notFound = 0;
                    for (String question : unrelated) {
                        if (qa.ask(AskRequest.ask(question)).kind() == AnswerKind.NOT_FOUND) {
                            notFound++;
                        }
                    }
                    unrelatedNotFound.put(retrieval.getKey(), notFound);
                }
                setup = described;
            }
        }
        PrintStream out = Utf8Output.stdout();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = mapper.createObjectNode();
            root.put("setup", setup);
            ArrayNode runs = root.putArray("runs");
            reportsByRetrieval.forEach((retrieval, reports) -> {
                ObjectNode run = runs.addObject();
                run.put("retrieval", retrieval);
                if (!unrelated.isEmpty()) {
                    run.put("unrelated_questions", unrelated.size());
                    run.put("unrelated_not_found", unrelatedNotFound.get(retrieval));
                }
                ArrayNode array = run.putArray("sources");
                reports.forEach(r -> array.add(mapper.valueToTree(r)));
            });
            out.println(mapper.writeValueAsString(root));
        } else {
            out.println(setup);
            reportsByRetrieval.forEach((retrieval, reports) -> {
                out.println(retrieval + ":");
                reports.forEach(r -> print(out, r));
                if (!unrelated.isEmpty()) {
                    out.printf("  unrelated questions: %d of %d answered 未找到相关内容%n", unrelatedNotFound.get(retrieval),
                            unrelated.size());
                }
            });
        }
        return 0;
    }

    private List<QaReport> evaluate(QaService qa, YinghuoStreamingChatModel chat, Map<String, List<EvalQuestion>> sets,
                                    Map<String, String> evalIdByDocId, PrintStream err)
            throws IOException {
        List<QaReport> reports = new ArrayList<>();
        for (Map.Entry<String, List<EvalQuestion>> set : sets.entrySet()) {
            int[] asked = {0};
            int total = set.getValue().size();
            reports.add(QaEvaluator.evaluate(set.getKey(), set.getValue(), evalIdByDocId::get, question -> {
                AskRequest request = AskRequest.ask(question.question())
                        .withParameters(chat == null ? null : modelOptions.parameters());
                var response = qa.ask(request);
                if (++asked[0] % 100 == 0 && chat != null) {
                    err.printf("eval-qa: %s %d/%d%n", set.getKey(), asked[0], total);
                }
                return response;
            }));
        }
        return reports;
    }

    private List<EvalDocument> readDocuments() throws IOException {
        List<EvalDocument> documents = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Path file : documentFiles) {
            for (EvalDocument document : EvalFiles.readDocuments(file)) {
                if (!ids.add(document.docId())) {
                    throw new IllegalArgumentException("document id " + document.docId() + " appears twice (" + file
                            + ")");
                }
                documents.add(document);
            }
        }
        return documents;
    }

    private Map<String, List<EvalQuestion>> readQuestions(List<EvalDocument> documents) throws IOException {
        Set<String> ids = new HashSet<>();
        documents.forEach(d -> ids.add(d.docId()));
        Map<String, List<EvalQuestion>> sets = new java.util.LinkedHashMap<>();
        for (Path file : questionFiles) {
            List<EvalQuestion> questions = EvalFiles.readQuestions(file);
            for (EvalQuestion question : questions) {
                for (String gold : question.goldDocIds()) {
                    if (!ids.contains(gold)) {
                        throw new IllegalArgumentException(file + ": question " + question.id() + " refers to"
                                + " document " + gold + ", which no --docs file contains");
                    }
                }
            }
            if (limit > 0 && questions.size() > limit) {
                questions = questions.subList(0, limit);
            }
            String name = file.getFileName().toString();
            List<EvalQuestion> chosen = questions;
            sets.merge(name, chosen, (a, b) -> {
                throw new IllegalArgumentException("two questions files are named " + name);
            });
        }
        return sets;
    }

    /** Ingests the documents as Markdown files (as eval-retrieval does); returns index doc id → eval doc id. */
    private static Map<String, String> ingest(ChunkSearcher searcher, IngestPipeline pipeline,
                                              List<EvalDocument> documents) throws IOException, InterruptedException {
        searcher.search(SearchRequest.of("预热 warm-up", 1)); // loads the analyzers' dictionaries
        Map<String, String> evalIdByDocId = new HashMap<>();
        List<IngestJob> jobs = new ArrayList<>(documents.size());
        for (EvalDocument document : documents) {
            String fileName = document.docId() + ".md";
            evalIdByDocId.put(DocumentIds.forFile("", fileName), document.docId());
            jobs.add(pipeline.submit(IngestSource.of(fileName,
                    RetrievalBenchmark.markdown(document).getBytes(StandardCharsets.UTF_8))));
        }
        pipeline.awaitIdle();
        for (IngestJob job : jobs) {
            if (!job.progress().succeeded()) {
                throw new IllegalStateException("evaluation document " + job.progress().fileName() + " was not"
                        + " ingested: " + job.progress().outcome().label() + " " + job.progress().message());
            }
        }
        return evalIdByDocId;
    }

    private static void print(PrintStream out, QaReport r) {
        out.printf("  %s:%n", r.source());
        type(out, "single", r.single());
        type(out, "multi-doc", r.multi());
        out.printf("    citation precision %s (%d cited sources); not found %d; model answers %d%n",
                r.citationPrecision() == null ? "n/a" : String.format("%.3f", r.citationPrecision()),
                r.citedSources(), r.notFound(), r.modelAnswers());
        out.printf("    latency: retrieval+packing p50 %.1f ms, p99 %.1f ms; whole question p50 %.1f ms, p99 %.1f ms%n",
                r.retrievalMsP50(), r.retrievalMsP99(), r.totalMsP50(), r.totalMsP99());
    }

    private static void type(PrintStream out, String name, QaReport.TypeFigures f) {
        if (f == null) {
            return;
        }
        out.printf("    %-9s %4d questions: evidence coverage %.3f (gold documents %.3f), %.1f passages; EM %s, F1 %s"
                        + "%s%n", name, f.questions(), f.evidenceCoverage(), f.documentCoverage(), f.meanEvidence(),
                f.exactMatch() == null ? "n/a" : String.format("%.3f", f.exactMatch()),
                f.f1() == null ? "n/a" : String.format("%.3f", f.f1()),
                f.meanPromptTokens() == null ? "" : String.format(", %.0f prompt tokens", f.meanPromptTokens()));
    }
}
