package io.yinghuo.cli;

import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.ingest.pipeline.DocumentIds;
import io.yinghuo.ingest.pipeline.IngestJob;
import io.yinghuo.ingest.pipeline.IngestOptions;
import io.yinghuo.ingest.pipeline.IngestPipeline;
import io.yinghuo.ingest.pipeline.IngestProgress;
import io.yinghuo.ingest.pipeline.IngestSource;
import io.yinghuo.ingest.pipeline.VectorBackfill;
import io.yinghuo.ingest.pipeline.VectorProgress;
import io.yinghuo.retrieval.eval.EvalDocument;
import io.yinghuo.retrieval.eval.EvalQuestion;
import io.yinghuo.retrieval.eval.RankedChunk;
import io.yinghuo.retrieval.eval.RetrievalEvaluator;
import io.yinghuo.retrieval.eval.SourceReport;
import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.index.IndexProfile;
import io.yinghuo.retrieval.search.ChunkSearcher;
import io.yinghuo.retrieval.search.SearchHit;
import io.yinghuo.retrieval.search.SearchRequest;
import io.yinghuo.retrieval.vectors.Embedder;

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

    /**
     * Vector backfill figures: how long embedding every chunk of the evaluation index took, after its lexical
     * ingest had finished.
     */
    /**
     * @param latencyMsP50 search latency (hybrid on the vectors committed so far) of the questions asked while the
     *                     backfill ran, one every {@link #QUESTION_INTERVAL_MILLIS} ms
     */
    record VectorFigures(String space, long chunks, double seconds, int questionsDuring, double latencyMsP50,
                         double latencyMsP99) {
        double chunksPerSecond() {
            return seconds > 0 ? chunks / seconds : 0;
        }
    }

    /**
     * @param label what was searched: {@code hybrid}, {@code lexical} or the baseline profile's label
     * @param passes every ingest pass in order: the warm-up passes, then the measured one
     * @param vectors the backfill of the index searched (null when the run used no vectors)
     * @param indexBytes size of the index folder on disk after ingest (and backfill)
     * @param heapBytes heap in use after the questions (after a GC request; indicative)
     */
    record Run(String label, IndexProfile profile, List<IngestFigures> passes, VectorFigures vectors,
               long indexBytes, long heapBytes, List<SourceReport> sources) {

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
    static List<Run> run(IndexProfile profile, Embedder embedder, List<EvalDocument> documents,
                         Map<String, List<EvalQuestion>> questionSets, List<Integer> ks, int warmUpPasses)
            throws IOException, InterruptedException {
        return run(profile, embedder, documents, questionSets, ks, warmUpPasses, new IndexOption());
    }

    /** As above, on the index {@code --index} names (a Solr collection must be empty; it is emptied again). */
    static List<Run> run(IndexProfile profile, Embedder embedder, List<EvalDocument> documents,
                         Map<String, List<EvalQuestion>> questionSets, List<Integer> ks, int warmUpPasses,
                         IndexOption at) throws IOException, InterruptedException {
        IngestOptions options = IngestOptions.defaults().withProfile(profile);
        try (ScratchFolders scratch = new ScratchFolders()) {
            List<IngestFigures> passes = new ArrayList<>();
            for (int pass = 0; pass < warmUpPasses; pass++) {
                DataFolder folder = DataFolder.at(scratch.create("yinghuo-eval-warmup-"));
                try (IndexOption.EvalStore eval = at.openEmpty(folder, profile);
                     IngestPipeline pipeline = IngestPipeline.open(folder, eval.store(), options)) {
                    passes.add(ingestAll(eval.store(), pipeline, documents, new HashMap<>()));
                }
            }
            DataFolder folder = DataFolder.at(scratch.create("yinghuo-eval-"));
            try (IndexOption.EvalStore eval = at.openEmpty(folder, profile);
                 IngestPipeline pipeline = IngestPipeline.open(folder, eval.store(), options)) {
                ChunkStore index = eval.store();
                Map<String, String> evalIdByDocId = new HashMap<>();
                passes.add(ingestAll(index, pipeline, documents, evalIdByDocId));
                List<Run> runs = new ArrayList<>();
                if (embedder != null) {
                    List<String> questions = new ArrayList<>();
                    questionSets.values().forEach(set -> set.forEach(q -> questions.add(q.question())));
                    VectorFigures vectors = backfill(pipeline, index, embedder, questions);
                    runs.add(ask("hybrid", profile, passes, vectors, folder, new ChunkSearcher(index, embedder),
                            questionSets, ks, evalIdByDocId));
                }
                runs.add(ask(embedder != null || profile == IndexProfile.CHINESE_HYBRID ? "lexical" : profile.label(),
                        profile, passes, null, folder, new ChunkSearcher(index), questionSets, ks, evalIdByDocId));
                return runs;
            }
        }
    }

    /** How often a question is asked while the backfill runs: a user asking every few seconds, several users. */
    static final long QUESTION_INTERVAL_MILLIS = 250;

    /**
     * Embeds every chunk of the index (the backfill a server runs after ingest) and times it, asking questions
     * meanwhile as users of a server would (hybrid on the vectors committed so far): their latency is the cost of
     * the backfill to a user, and the backfill's throughput includes its yielding to them.
     */
    private static VectorFigures backfill(IngestPipeline pipeline, ChunkStore index, Embedder embedder,
                                          List<String> questions) throws InterruptedException {
        embedder.embedQuery("预热"); // load the model before the clock starts, as a running server has
        ChunkSearcher searcher = new ChunkSearcher(index, embedder);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread asker = new Thread(() -> {
            for (int i = 0; !done.get() && !questions.isEmpty(); i++) {
                long start = System.nanoTime();
                try {
                    searcher.search(SearchRequest.of(questions.get(i % questions.size()), 5).withSnippets(false));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                latencies.add(System.nanoTime() - start);
                try {
                    Thread.sleep(QUESTION_INTERVAL_MILLIS); // pacing the load generator, not synchronization
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "yinghuo-eval-questions");
        long start = System.nanoTime();
        VectorBackfill backfill = pipeline.startVectors(embedder);
        asker.start();
        VectorProgress progress = backfill.awaitComplete();
        double seconds = (System.nanoTime() - start) / 1e9;
        done.set(true);
        asker.interrupt();
        asker.join();
        if (!progress.complete()) {
            throw new IllegalStateException("the vector backfill did not finish: " + progress.state() + " "
                    + progress.error());
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return new VectorFigures(progress.space(), progress.chunksDone(), seconds, sorted.length,
                RetrievalEvaluator.percentileMs(sorted, sorted.length, 0.50),
                RetrievalEvaluator.percentileMs(sorted, sorted.length, 0.99));
    }

    private static Run ask(String label, IndexProfile profile, List<IngestFigures> passes, VectorFigures vectors,
                           DataFolder folder, ChunkSearcher searcher, Map<String, List<EvalQuestion>> questionSets,
                           List<Integer> ks, Map<String, String> evalIdByDocId) throws IOException {
        List<SourceReport> reports = new ArrayList<>();
        for (Map.Entry<String, List<EvalQuestion>> set : questionSets.entrySet()) {
            reports.add(RetrievalEvaluator.evaluate(set.getKey(), set.getValue(), ks, (question, k) -> {
                List<RankedChunk> ranked = new ArrayList<>(k);
                for (SearchHit hit : searcher.search(SearchRequest.of(question, k).withSnippets(false))) {
                    ranked.add(new RankedChunk(evalIdByDocId.get(hit.docId()), hit.text()));
                }
                return ranked;
            }));
        }
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return new Run(label, profile, passes, vectors, folderBytes(folder.index()),
                runtime.totalMemory() - runtime.freeMemory(), reports);
    }

    private static long folderBytes(Path folder) throws IOException {
        if (!java.nio.file.Files.isDirectory(folder)) {
            return 0; // the index is elsewhere (--index solr:...)
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(folder)) {
            return files.filter(java.nio.file.Files::isRegularFile).mapToLong(file -> {
                try {
                    return java.nio.file.Files.size(file);
                } catch (IOException e) {
                    return 0; // merged away while we walked
                }
            }).sum();
        }
    }

    /** Ingests every document as a Markdown file and waits for all to be committed; fills the id map. */
    private static IngestFigures ingestAll(ChunkStore index, IngestPipeline pipeline, List<EvalDocument> documents,
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
