package io.yinghuo.cli;

import io.yinghuo.ingest.parse.DocumentParsers;
import io.yinghuo.ingest.pipeline.CollectionException;
import io.yinghuo.ingest.pipeline.CollectionNames;
import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.ingest.pipeline.IngestOptions;
import io.yinghuo.ingest.pipeline.IngestOutcome;
import io.yinghuo.ingest.pipeline.IngestPipeline;
import io.yinghuo.ingest.pipeline.IngestProgress;
import io.yinghuo.ingest.pipeline.IngestSource;
import io.yinghuo.ingest.pipeline.IngestStage;
import io.yinghuo.ingest.pipeline.VectorBackfill;
import io.yinghuo.ingest.pipeline.VectorProgress;
import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.index.DocumentRecord;
import io.yinghuo.retrieval.vectors.Embedder;
import io.yinghuo.retrieval.vectors.VectorSpace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * {@code yinghuo ingest}: adds files and folders to the data folder's index, with one progress line per file and a
 * summary line.
 */
@Command(name = "ingest",
        mixinStandardHelpOptions = true,
        description = {
            "Adds documents (txt, md, html, pdf, docx, xlsx, pptx, csv, json) to the index of a data folder.",
            "Folders are searched recursively; hidden files and unsupported types in folders are skipped.",
            "A file is reported only once it is durably committed. The same bytes are never indexed twice; a file"
                    + " name ingested again with new content replaces the old version.",
            "Then the chunks get their vectors for semantic search (语义索引, built-in bge-small-zh-v1.5 embedding"
                    + " model), with a progress line on stderr; documents are searchable by keywords already."
                    + " --no-wait-vectors leaves that to the next serve or ingest; --no-vectors skips it.",
            "Exit code: 0 when every file was ingested (or already was), 1 when some failed."})
public final class IngestCommand implements Callable<Integer> {

    /** How often the vector progress line is refreshed on a terminal. */
    static final long PROGRESS_MILLIS = 500;
    /** How often it is repeated when stderr is not a terminal (a log gets a line now and then, not two a second). */
    static final long LOG_PROGRESS_MILLIS = 10_000;
    /** ANSI: clears the rest of a progress line that is rewritten in place (file names may be double-width). */
    private static final String ERASE_TO_END_OF_LINE = "\u001b[K";

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data",
            description = "Data folder (index in DIR/index, originals in DIR/originals). Default: ./data")
    Path data;

    @picocli.CommandLine.Mixin
    IndexOption indexOption = new IndexOption();

    @Option(names = "--collection", paramLabel = "NAME", defaultValue = "",
            description = "Collection (knowledge base) to put the documents in. Default: none")
    String collection;

    @Option(names = {"-v", "--verbose"}, description = "Also print every stage (parsing, chunking, indexing).")
    boolean verbose;

    @Option(names = "--no-wait-vectors",
            description = "Exit once the files are committed (searchable by keywords); the next serve or ingest"
                    + " gives them their vectors.")
    boolean noWaitVectors;

    @Option(names = "--no-vectors", description = "Keywords only: load no embedding model, compute no vectors.")
    boolean noVectors;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or folders to ingest.")
    List<Path> paths;

    @Override
    public Integer call() throws IOException, InterruptedException {
        try {
            collection = CollectionNames.normalize(collection);
        } catch (CollectionException e) {
            throw new OptionValueException("--collection: " + e.getMessage(), e);
        }
        List<Input> inputs = collect();
        PrintStream out = Utf8Output.stdout();
        int total = inputs.size();
        AtomicInteger finished = new AtomicInteger();
        Map<IngestOutcome, Integer> outcomes = new EnumMap<>(IngestOutcome.class);
        long[] characters = new long[1];
        Object printLock = new Object();
        IngestOptions options = IngestOptions.defaults().withListener(progress -> {
            synchronized (printLock) {
                if (progress.stage().isFinal()) {
                    outcomes.merge(progress.outcome(), 1, Integer::sum);
                    characters[0] += progress.succeeded() ? progress.characters() : 0;
                    out.println(finalLine(finished.incrementAndGet(), total, progress));
                } else if (verbose && progress.stage() != IngestStage.QUEUED) {
                    out.printf("          %-9s %s%n", progress.stage().label(), progress.fileName());
                }
            }
        });
        long start = System.nanoTime();
        int unreadable = 0;
        Embedder embedder = EmbeddingChoice.unless(noVectors || noWaitVectors);
        VectorProgress vectors = null;
        DataFolder folder = DataFolder.at(data);
        try (ChunkStore index = indexOption.address().open(folder, options.profile());
             IngestPipeline pipeline = IngestPipeline.open(folder, index, options)) {
            for (Input input : inputs) {
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(input.file());
                } catch (IOException e) {
                    unreadable++;
                    synchronized (printLock) {
                        out.println(String.format("[%d/%d] %-9s %s: cannot read (%s)", finished.incrementAndGet(),
                                total, "failed", input.name(), e.getMessage()));
                    }
                    continue;
                }
                pipeline.submit(new IngestSource(input.name(), bytes, collection));
            }
            pipeline.awaitIdle();
            printSummary(out, total, outcomes, unreadable, characters[0], (System.nanoTime() - start) / 1e9);
            if (embedder != null) {
                vectors = awaitVectors(index, pipeline, embedder);
            } else if (noWaitVectors && !noVectors) {
                mentionMissingVectors(index);
            }
        }
        int failed = outcomes.getOrDefault(IngestOutcome.FAILED, 0) + unreadable;
        if (vectors != null && "failed".equals(vectors.state())) {
            Utf8Output.stderr().println("yinghuo ingest: 语义索引失败 (" + vectors.error() + "); the documents are"
                    + " searchable by keywords, and the next ingest or serve tries again");
        }
        return failed == 0 ? 0 : 1;
    }

    private static void printSummary(PrintStream out, int total, Map<IngestOutcome, Integer> outcomes, int unreadable,
                                     long characters, double seconds) {
        int failed = outcomes.getOrDefault(IngestOutcome.FAILED, 0) + unreadable;
        out.printf("ingested %d file%s: %d added, %d replaced, %d unchanged, %d duplicate, %d failed;"
                        + " %d characters in %.1f s (%.0f characters/s)%n",
                total, total == 1 ? "" : "s", outcomes.getOrDefault(IngestOutcome.ADDED, 0),
                outcomes.getOrDefault(IngestOutcome.REPLACED, 0), outcomes.getOrDefault(IngestOutcome.UNCHANGED, 0),
                outcomes.getOrDefault(IngestOutcome.DUPLICATE, 0), failed, characters, seconds,
                seconds > 0 ? characters / seconds : 0);
    }

    /**
     * Gives every committed chunk its vector (the pipeline's {@link VectorBackfill}) and waits for it, with a
     * progress line on stderr ("语义索引 340/2191"): refreshed in place on a terminal, repeated now and then
     * otherwise. Nothing is loaded when every document already has its vectors.
     */
    private static VectorProgress awaitVectors(ChunkStore index, IngestPipeline pipeline, Embedder embedder)
            throws InterruptedException {
        PrintStream err = Utf8Output.stderr();
        if (index.documentsWithoutVectors(embedder.space()).isEmpty()) {
            VectorProgress done = finished(index, embedder.space());
            if (done.chunksTotal() > 0) {
                err.println("语义索引完成 " + done.chunksDone() + "/" + done.chunksTotal());
            }
            return done;
        }
        long start = System.nanoTime();
        VectorBackfill backfill = pipeline.startVectors(embedder);
        boolean terminal = System.console() != null;
        String shown = "";
        long shownAt = 0;
        Optional<VectorProgress> done;
        while ((done = backfill.awaitComplete(PROGRESS_MILLIS, TimeUnit.MILLISECONDS)).isEmpty()) {
            String line = progressLine(index, backfill.progress());
            long now = System.nanoTime();
            if (terminal && !line.equals(shown)) {
                err.print("\r" + line + ERASE_TO_END_OF_LINE);
                err.flush();
                shown = line;
            } else if (!terminal && (shownAt == 0
                    || now - shownAt >= TimeUnit.MILLISECONDS.toNanos(LOG_PROGRESS_MILLIS))) {
                err.println(line);
                shown = line;
                shownAt = now;
            }
        }
        VectorProgress result = done.get();
        if (terminal && !shown.isEmpty()) {
            err.print("\r" + ERASE_TO_END_OF_LINE);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!"failed".equals(result.state()) && result.complete()) {
            err.printf(Locale.ROOT, "语义索引完成 %d/%d (%s, %.1f s, %.0f chunks/s)%n", result.chunksDone(), result.chunksTotal(),
                    result.space(), seconds, result.chunksPerSecond());
        }
        return result;
    }

    private static String progressLine(ChunkStore index, VectorProgress p) {
        StringBuilder line = new StringBuilder(p.label());
        if ("loading".equals(p.state())) {
            line.append(" (loading the embedding model)");
        } else if (p.currentTotal() > 0) {
            String name = index.document(p.currentDocument()).map(DocumentRecord::fileName)
                    .orElse(p.currentDocument());
            line.append(String.format(Locale.ROOT, " (%s %d/%d", name, p.currentDone(), p.currentTotal()));
            if (p.chunksPerSecond() > 0) {
                line.append(String.format(Locale.ROOT, ", %.0f chunks/s", p.chunksPerSecond()));
            }
            line.append(')');
        }
        return line.toString();
    }

    /** Progress when every document already has vectors of {@code space}: nothing to load, nothing to do. */
    private static VectorProgress finished(ChunkStore index, VectorSpace space) {
        List<DocumentRecord> documents = index.documents();
        long chunks = documents.stream().mapToLong(DocumentRecord::chunkCount).sum();
        return new VectorProgress(space.label(), "idle", chunks, chunks, documents.size(), documents.size(), "", 0,
                0, 0, "");
    }

    /** {@code --no-wait-vectors}: says how many chunks still wait for their vectors (of the built-in model). */
    private static void mentionMissingVectors(ChunkStore index) {
        VectorSpace space = EmbeddingChoice.builtIn.get().space();
        List<DocumentRecord> missing = index.documentsWithoutVectors(space);
        if (!missing.isEmpty()) {
            long chunks = missing.stream().mapToLong(DocumentRecord::chunkCount).sum();
            Utf8Output.stderr().println("语义索引: " + chunks + " chunk" + (chunks == 1 ? "" : "s") + " of "
                    + missing.size() + " document" + (missing.size() == 1 ? "" : "s") + " wait for their vectors;"
                    + " the next serve or ingest computes them");
        }
    }

    private static String finalLine(int n, int total, IngestProgress p) {
        String head = String.format("[%d/%d] %-9s %s", n, total, p.outcome().label(), p.fileName());
        if (p.outcome() == IngestOutcome.FAILED || p.outcome() == IngestOutcome.DUPLICATE) {
            return head + ": " + p.message();
        }
        if (p.outcome() == IngestOutcome.UNCHANGED) {
            return head;
        }
        StringBuilder line = new StringBuilder(head).append(String.format(" (%d characters, %d chunk%s, document %s)",
                p.characters(), p.chunks(), p.chunks() == 1 ? "" : "s", p.docId()));
        p.warnings().forEach(w -> line.append(System.lineSeparator()).append("    warning: ").append(w.text()));
        return line.toString();
    }

    private record Input(Path file, String name) {
    }

    /** Every file to ingest, with the name that identifies it: a folder's files are named "folder/relative/path". */
    private List<Input> collect() throws IOException {
        DocumentParsers parsers = DocumentParsers.withDefaults();
        List<Input> inputs = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isRegularFile(path)) {
                inputs.add(new Input(path, path.getFileName().toString()));
            } else if (Files.isDirectory(path)) {
                Path root = path.toAbsolutePath().normalize();
                String prefix = root.getFileName() == null ? "" : root.getFileName() + "/";
                try (Stream<Path> walk = Files.walk(root)) {
                    for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                        Path relative = root.relativize(file);
                        if (isHidden(relative) || !parsers.supports(file.getFileName().toString())) {
                            continue;
                        }
                        inputs.add(new Input(file, prefix + relative.toString().replace('\\', '/')));
                    }
                }
            } else {
                throw new IllegalArgumentException("no such file or folder: " + path);
            }
        }
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no supported files found in " + paths);
        }
        return inputs;
    }

    private static boolean isHidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
