package io.yinghuo.cli;

import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.ingest.pipeline.DocumentIds;
import io.yinghuo.ingest.pipeline.IngestJob;
import io.yinghuo.ingest.pipeline.IngestOptions;
import io.yinghuo.ingest.pipeline.IngestPipeline;
import io.yinghuo.ingest.pipeline.IngestProgress;
import io.yinghuo.ingest.pipeline.IngestSource;
import io.yinghuo.retrieval.eval.EvalDocument;
import io.yinghuo.retrieval.eval.EvalQuestion;
import io.yinghuo.retrieval.eval.RankedChunk;
import io.yinghuo.retrieval.eval.RetrievalEvaluator;
import io.yinghuo.retrieval.eval.SourceReport;
import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.index.IndexProfile;
import io.yinghuo.retrieval.search.ChunkSearcher;
import io.yinghuo.retrieval.search.SearchHit;
import io.yinghuo.retrieval.search.SearchRequest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One evaluation run for one index profile: ingests the evaluation documents into a fresh data folder through the
 * normal pipeline, then asks every question.
 *
 * <p>Each document becomes a Markdown file {@code <doc_id>.md}: {@code # title}, a blank line, then its paragraphs
 * separated by blank lines, with ASCII punctuation backslash-escaped so that Markdown parsing gives the text back
 * verbatim (the parser takes the level-1 heading as the document title, which retrieval carries with every chunk).
 */
final class RetrievalBenchmark {

    /** Ingest figures: characters are those of the parsed text, bytes those of the UTF-8 files. */
    record IngestFigures(int documents, int chunks, long characters, long bytes, double seconds) {
        double charactersPerSecond() {
            return seconds > 0 ? characters / seconds : 0;
        }

        /** Decimal megabytes (10^6 bytes) of UTF-8 input per second. */
        double megabytesPerSecond() {
            return seconds > 0 ? bytes / seconds / 1e6 : 0;
        }
    }

    /** @param passes every ingest pass in order: the warm-up passes, then the measured one */
    record Run(IndexProfile profile, List<IngestFigures> passes, List<SourceReport> sources) {

        /** The measured ingest, into the index the questions were asked of. */
        IngestFigures ingest() {
            return passes.get(passes.size() - 1);
        }

        /** The first pass, in the cold JVM; empty without warm-up (then {@link #ingest} is that pass). */
        Optional<IngestFigures> cold() {
            return passes.size() > 1 ? Optional.of(passes.get(0)) : Optional.empty();
        }

        /**
         * The median MB/s of the last three warm passes (fewer when there are fewer): one pass of the 0.76 MB
         * evaluation corpus lasts about half a second, short enough for one stall of this VM to halve it.
         */
        OptionalDouble warmMedianMegabytesPerSecond() {
            if (passes.size() < 2) {
                return OptionalDouble.empty();
            }
            double[] rates = passes.subList(Math.max(1, passes.size() - WARM_PASSES_IN_MEDIAN), passes.size())
                    .stream().mapToDouble(IngestFigures::megabytesPerSecond).sorted().toArray();
            int middle = rates.length / 2;
            return OptionalDouble.of(rates.length % 2 == 1 ? rates[middle] : (rates[middle - 1] + rates[middle]) / 2);
        }
    }

    private static final int WARM_PASSES_IN_MEDIAN = 3;

    private RetrievalBenchmark() {
    }

    /**
     * Ingests the documents into a fresh data folder, then asks every question. The documents are first ingested
     * {@code warmUpPasses} times, unmeasured, into other temporary folders: a JVM's first seconds go to compiling
     * the code (the C2 compiler thread is busy for the first ~20 s of ingesting on two cores, ~10 MB), and a 0.7 MB
     * run would otherwise measure the compiler more than the ingest path (a running server or a long ingest is
     * warm). The first warm-up pass is reported too, as the cold figure, and the median of the last warm passes.
     * The dictionaries are always loaded before the clock starts.
     */
    static Run run(IndexProfile profile, List<EvalDocument> documents, Map<String, List<EvalQuestion>> questionSets,
                   List<Integer> ks, int warmUpPasses) throws IOException, InterruptedException {
        IngestOptions options = IngestOptions.defaults().withProfile(profile);
        try (ScratchFolders scratch = new ScratchFolders()) {
            List<IngestFigures> passes = new ArrayList<>();
            for (int pass = 0; pass < warmUpPasses; pass++) {
                DataFolder folder = DataFolder.at(scratch.create("yinghuo-eval-warmup-"));
                try (ChunkIndex index = ChunkIndex.open(folder.index(), profile);
                     IngestPipeline pipeline = IngestPipeline.open(folder, index, options)) {
                    passes.add(ingestAll(index, pipeline, documents, new HashMap<>()));
                }
            }
            DataFolder folder = DataFolder.at(scratch.create("yinghuo-eval-"));
            try (ChunkIndex index = ChunkIndex.open(folder.index(), profile);
                 IngestPipeline pipeline = IngestPipeline.open(folder, index, options)) {
                Map<String, String> evalIdByDocId = new HashMap<>();
                passes.add(ingestAll(index, pipeline, documents, evalIdByDocId));
                ChunkSearcher searcher = new ChunkSearcher(index);
                List<SourceReport> reports = new ArrayList<>();
                for (Map.Entry<String, List<EvalQuestion>> set : questionSets.entrySet()) {
                    reports.add(RetrievalEvaluator.evaluate(set.getKey(), set.getValue(), ks, (question, k) -> {
                        List<RankedChunk> ranked = new ArrayList<>(k);
                        for (SearchHit hit : searcher.search(
                                SearchRequest.of(question, k).withSnippets(false))) {
                            ranked.add(new RankedChunk(evalIdByDocId.get(hit.docId()), hit.text()));
                        }
                        return ranked;
                    }));
                }
                return new Run(profile, passes, reports);
            }
        }
    }

    /** Ingests every document as a Markdown file and waits for all to be committed; fills the id map. */
    private static IngestFigures ingestAll(ChunkIndex index, IngestPipeline pipeline, List<EvalDocument> documents,
                                           Map<String, String> evalIdByDocId)
            throws IOException, InterruptedException {
        // Load the analyzers' dictionaries once, as a running application has.
        new ChunkSearcher(index).search(SearchRequest.of("预热 warm-up", 1));
        List<IngestJob> jobs = new ArrayList<>(documents.size());
        long bytes = 0;
        long start = System.nanoTime();
        for (EvalDocument document : documents) {
            String fileName = document.docId() + ".md";
            evalIdByDocId.put(DocumentIds.forFile("", fileName), document.docId());
            byte[] content = markdown(document).getBytes(StandardCharsets.UTF_8);
            bytes += content.length;
            jobs.add(pipeline.submit(IngestSource.of(fileName, content)));
        }
        pipeline.awaitIdle();
        double seconds = (System.nanoTime() - start) / 1e9;
        long characters = 0;
        for (IngestJob job : jobs) {
            IngestProgress progress = job.progress();
            if (!progress.succeeded()) {
                throw new IllegalStateException("evaluation document " + progress.fileName()
                        + " was not ingested: " + progress.outcome().label() + " " + progress.message());
            }
            characters += progress.characters();
        }
        return new IngestFigures(documents.size(), index.chunkCount(), characters, bytes, seconds);
    }

    static String markdown(EvalDocument document) {
        StringBuilder md = new StringBuilder(document.text().length() + document.title().length() + 64);
        if (!document.title().isBlank()) {
            md.append("# ").append(escape(document.title().strip())).append("\n\n");
        }
        for (String paragraph : document.text().split("\n")) {
            if (!paragraph.isBlank()) {
                md.append(escape(paragraph.strip())).append("\n\n");
            }
        }
        return md.toString();
    }

    /** Backslash-escapes ASCII punctuation (CommonMark: any ASCII punctuation character may be escaped). */
    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 128 && isAsciiPunctuation(c)) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    private static boolean isAsciiPunctuation(char c) {
        return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
    }
}
