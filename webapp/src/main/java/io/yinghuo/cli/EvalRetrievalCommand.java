package io.yinghuo.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.retrieval.eval.EvalDocument;
import io.yinghuo.retrieval.eval.EvalFiles;
import io.yinghuo.retrieval.eval.EvalQuestion;
import io.yinghuo.retrieval.eval.SourceReport;
import io.yinghuo.retrieval.index.IndexProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code yinghuo eval-retrieval}: retrieval recall, MRR, ingest throughput and latency on a question set. */
@Command(name = "eval-retrieval",
        mixinStandardHelpOptions = true,
        description = {
            "Ingests the documents into a fresh temporary data folder through the normal ingest pipeline, asks"
                    + " every question and reports, per questions file: doc recall@k, answer recall@k (a top-k"
                    + " chunk contains a reference answer verbatim), MRR@10; for multi-document lines (\"doc_ids\")"
                    + " asked as one compound question: all-docs recall@k (every gold document in the top k) and"
                    + " all-answers recall@k; search latency p50/p99; and ingest throughput.",
            "Files: documents JSONL {\"doc_id\",\"title\",\"text\"}; questions JSONL {\"id\",\"question\","
                    + "\"answers\":[...],\"doc_id\"} or {\"id\",\"question\",\"answers\":[[...],[...]],"
                    + "\"doc_ids\":[...]} (the CMRC 2018 / DRCD dev files)."})
public final class EvalRetrievalCommand implements Callable<Integer> {

    @Option(names = "--docs", paramLabel = "FILE", required = true,
            description = "Documents JSONL (repeatable; all are indexed together).")
    List<Path> documentFiles;

    @Option(names = "--questions", paramLabel = "FILE", required = true,
            description = "Questions JSONL (repeatable; figures are reported per file).")
    List<Path> questionFiles;

    @Option(names = "--k", paramLabel = "K,...", split = ",", defaultValue = "1,3,5,10",
            description = "Cut-offs. Default: 1,3,5,10")
    List<Integer> ks;

    @Option(names = "--lexical-only",
            description = "Measure keyword search only (no embedding model): what serve --no-vectors uses.")
    boolean lexicalOnly;

    @Option(names = "--baseline",
            description = "Also run the character-bigram BM25 baseline (Lucene CJKAnalyzer over the same chunks).")
    boolean baseline;

    @Option(names = "--warmup-passes", paramLabel = "N", defaultValue = "10",
            description = "Ingest passes before the measured one, so that the throughput figure is the warm ingest"
                    + " path and not mostly JIT compilation (the first is reported as the cold figure). Default: 10")
    int warmUpPasses;

    @Option(names = "--no-warmup", description = "Measure ingest throughput in the cold JVM (--warmup-passes 0).")
    boolean noWarmup;

    @picocli.CommandLine.Mixin
    IndexOption indexOption = new IndexOption();

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws IOException, InterruptedException {
        for (int k : ks) {
            if (k < 1) {
                throw new IllegalArgumentException("--k values must be at least 1, got " + k);
            }
        }
        List<EvalDocument> documents = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Path file : documentFiles) {
            for (EvalDocument document : EvalFiles.readDocuments(file)) {
                if (!ids.add(document.docId())) {
                    throw new IllegalArgumentException("document id " + document.docId() + " appears twice ("
                            + file + ")");
                }
                documents.add(document);
            }
        }
        Map<String, List<EvalQuestion>> questionSets = new LinkedHashMap<>();
        for (Path file : questionFiles) {
            List<EvalQuestion> questions = EvalFiles.readQuestions(file);
            for (EvalQuestion question : questions) {
                for (String gold : question.goldDocIds()) {
                    if (!ids.contains(gold)) {
                        throw new IllegalArgumentException(file + ": question " + question.id()
                                + " refers to document " + gold + ", which no --docs file contains");
                    }
                }
            }
            String name = file.getFileName().toString();
            questionSets.merge(name, questions, (a, b) -> {
                throw new IllegalArgumentException("two questions files are named " + name);
            });
        }
        if (warmUpPasses < 0) {
            throw new IllegalArgumentException("--warmup-passes must be >= 0, got " + warmUpPasses);
        }
        List<RetrievalBenchmark.Run> runs = new ArrayList<>();
        // The default configuration first: exactly what serve uses (hybrid with the built-in model), then keywords
        // only on the same index, then the bigram baseline.
        runs.addAll(RetrievalBenchmark.run(IndexProfile.CHINESE_HYBRID,
                EmbeddingChoice.unless(lexicalOnly), documents, questionSets, ks, warmUpPasses(), indexOption));
        if (baseline) {
            runs.addAll(RetrievalBenchmark.run(IndexProfile.CJK_BIGRAM_BASELINE, null, documents, questionSets, ks,
                    warmUpPasses()));
        }
        PrintStream out = Utf8Output.stdout();
        if (json) {
            out.println(toJson(runs));
        } else {
            for (RetrievalBenchmark.Run run : runs) {
                printRun(out, run, warmUpPasses());
            }
        }
        return 0;
    }

    private String toJson(List<RetrievalBenchmark.Run> runs) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        ArrayNode kArray = root.putArray("k");
        ks.forEach(kArray::add);
        ArrayNode runArray = root.putArray("runs");
        for (RetrievalBenchmark.Run run : runs) {
            ObjectNode r = runArray.addObject();
            r.put("retrieval", run.label());
            r.put("analyzer", run.profile().label());
            r.put("index_bytes", run.indexBytes());
            r.put("heap_bytes", run.heapBytes());
            if (run.vectors() != null) {
                ObjectNode v = r.putObject("vectors");
                v.put("space", run.vectors().space());
                v.put("chunks", run.vectors().chunks());
                v.put("seconds", run.vectors().seconds());
                v.put("chunks_per_second", run.vectors().chunksPerSecond());
                v.put("questions_during_backfill", run.vectors().questionsDuring());
                v.put("latency_ms_p50_during_backfill", run.vectors().latencyMsP50());
                v.put("latency_ms_p99_during_backfill", run.vectors().latencyMsP99());
            }
            RetrievalBenchmark.IngestFigures ingest = run.ingest();
            ObjectNode i = r.putObject("ingest");
            i.put("documents", ingest.documents());
            i.put("chunks", ingest.chunks());
            i.put("characters", ingest.characters());
            i.put("bytes", ingest.bytes());
            i.put("seconds", ingest.seconds());
            i.put("warm", warmUpPasses() > 0);
            i.put("warmup_passes", warmUpPasses());
            i.put("characters_per_second", ingest.charactersPerSecond());
            i.put("megabytes_per_second", ingest.megabytesPerSecond());
            run.warmMedianMegabytesPerSecond().ifPresent(rate -> i.put("warm_median_megabytes_per_second", rate));
            run.cold().ifPresent(cold -> {
                i.put("cold_seconds", cold.seconds());
                i.put("cold_megabytes_per_second", cold.megabytesPerSecond());
            });
            ArrayNode sources = r.putArray("sources");
            for (SourceReport report : run.sources()) {
                sources.add(mapper.valueToTree(report));
            }
        }
        return mapper.writeValueAsString(root);
    }

    private int warmUpPasses() {
        return noWarmup ? 0 : warmUpPasses;
    }

    private static void printRun(PrintStream out, RetrievalBenchmark.Run run, int warmUpPasses) {
        RetrievalBenchmark.IngestFigures ingest = run.ingest();
        out.printf("%s (%s): ingested %d documents (%d chunks, %d characters, %.2f MB) in %.2f s: %.0f characters/s,"
                        + " %.2f MB/s (%s)%n", run.label(), run.profile().label(), ingest.documents(), ingest.chunks(),
                ingest.characters(), ingest.bytes() / 1e6, ingest.seconds(),
                ingest.charactersPerSecond(), ingest.megabytesPerSecond(),
                warmUpPasses == 0 ? "cold JVM" : String.format("after %d warm-up pass%s; median of the last warm"
                        + " passes %.2f MB/s; the first pass, in the cold JVM, %.2f MB/s", warmUpPasses,
                        warmUpPasses == 1 ? "" : "es", run.warmMedianMegabytesPerSecond().orElseThrow(),
                        run.cold().orElseThrow().megabytesPerSecond()));
        if (run.vectors() != null) {
            out.printf("  vectors %s: %d chunks embedded in %.1f s, %.1f chunks/s (backfill, after the lexical ingest);"
                            + " %d questions asked meanwhile: search latency p50 %.2f ms, p99 %.2f ms%n",
                    run.vectors().space(), run.vectors().chunks(), run.vectors().seconds(),
                    run.vectors().chunksPerSecond(), run.vectors().questionsDuring(), run.vectors().latencyMsP50(),
                    run.vectors().latencyMsP99());
        }
        out.printf("  index %.1f MB on disk, heap in use %.0f MB%n", run.indexBytes() / 1e6, run.heapBytes() / 1e6);
        for (SourceReport report : run.sources()) {
            out.printf("  %s: %d questions, %d multi-document questions%n", report.source(), report.questions(),
                    report.multiDocQuestions());
            printFigures(out, "doc recall", report.docRecall());
            printFigures(out, "answer recall", report.answerRecall());
            if (report.mrr10() != null) {
                out.printf("    %-18s %.3f%n", "MRR@10", report.mrr10());
            }
            printFigures(out, "all-docs recall", report.allDocsRecall());
            printFigures(out, "all-answers recall", report.allAnswersRecall());
            out.printf("    %-18s p50 %.2f ms, p99 %.2f ms%n", "search latency", report.latencyMsP50(),
                    report.latencyMsP99());
        }
    }

    private static void printFigures(PrintStream out, String name, Map<Integer, Double> figures) {
        if (figures == null || figures.isEmpty()) {
            return;
        }
        StringBuilder line = new StringBuilder(String.format("    %-18s", name));
        figures.forEach((k, v) -> line.append(String.format(" @%d %.3f", k, v)));
        out.println(line);
    }
}
