package io.yinghuo.cli;

import io.yinghuo.ingest.parse.DocumentParsers;
import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.ingest.pipeline.IngestJob;
import io.yinghuo.ingest.pipeline.IngestOptions;
import io.yinghuo.ingest.pipeline.IngestOutcome;
import io.yinghuo.ingest.pipeline.IngestPipeline;
import io.yinghuo.ingest.pipeline.IngestProgress;
import io.yinghuo.ingest.pipeline.IngestSource;
import io.yinghuo.retrieval.eval.EvalDocument;
import io.yinghuo.retrieval.eval.EvalFiles;
import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.index.IndexProfile;
import io.yinghuo.retrieval.search.ChunkSearcher;
import io.yinghuo.retrieval.search.SearchRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code yinghuo bench-ingest}: ingest throughput of the real pipeline (parse, chunk, analyze, index, durable commit)
 * into fresh temporary data folders, pass after pass in one JVM, so that a cold first pass and warm later passes
 * are both seen.
 */
@Command(name = "bench-ingest",
        mixinStandardHelpOptions = true,
        description = {
            "Measures ingest throughput: every pass ingests the same files into a new temporary data folder"
                    + " through the normal pipeline and waits until all of them are durably committed.",
            "Input: files or folders (as `ingest` takes them), and/or --docs JSONL documents written as Markdown"
                    + " files; --copies N adds N-1 more copies of those documents with their sentences shuffled"
                    + " (distinct content, so none is skipped as a duplicate). Files are read into memory before"
                    + " the clock starts.",
            "Reports per pass: files, characters, MiB of input, seconds, MiB/s, characters/s, CPU seconds of the"
                    + " process and the system load average (the machine may be shared)."})
public final class BenchIngestCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "PATH", description = "Files or folders to ingest.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--docs", paramLabel = "FILE", description = "Documents JSONL {\"doc_id\",\"title\",\"text\"}"
            + " (repeatable), ingested as Markdown files.")
    List<Path> documentFiles = new ArrayList<>();

    @Option(names = "--copies", paramLabel = "N", defaultValue = "1",
            description = "Copies of the --docs documents (the first as is, the others sentence-shuffled)."
                    + " Default: 1")
    int copies;

    @Option(names = "--passes", paramLabel = "N", defaultValue = "3", description = "Passes. Default: 3")
    int passes;

    @Option(names = "--workers", paramLabel = "N",
            description = "Parsing/analysis threads. Default: one per core")
    Integer workers;

    @Option(names = "--commit-window", paramLabel = "MS",
            description = "How long a staged file may wait to share a commit with others. Default: the pipeline's")
    Long commitWindowMillis;

    @Option(names = "--profile", paramLabel = "NAME", defaultValue = "smartcn+bigram",
            description = "Index profile: smartcn+bigram (default) or cjk-bigram-baseline.")
    String profile;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (passes < 1 || copies < 1) {
            throw new IllegalArgumentException("--passes and --copies must be at least 1");
        }
        IndexProfile indexProfile = IndexProfile.fromLabel(profile);
        List<IngestSource> sources = new ArrayList<>();
        for (Path path : paths) {
            addFiles(path, sources);
        }
        addDocuments(sources);
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("nothing to ingest: give files, folders or --docs");
        }
        long bytes = 0;
        for (IngestSource source : sources) {
            bytes += source.bytes().length;
        }
        PrintStream out = Utf8Output.stdout();
        IngestOptions options = IngestOptions.defaults().withProfile(indexProfile);
        if (workers != null) {
            options = options.withWorkers(workers);
        }
        if (commitWindowMillis != null) {
            options = options.withCommitWindowMillis(commitWindowMillis);
        }
        out.printf("bench-ingest: %d files, %.2f MiB, profile %s, %d workers, %d cores, commit window %d ms%n",
                sources.size(), bytes / MIB, indexProfile.label(), options.workers(),
                Runtime.getRuntime().availableProcessors(), options.commitWindowMillis());
        try (ScratchFolders scratch = new ScratchFolders()) {
            for (int pass = 1; pass <= passes; pass++) {
                Pass result = runPass(options, sources, scratch.create("yinghuo-bench-ingest-"));
                out.printf("pass %d: %d files (%d failed, %d duplicate), %d chunks, %d characters, %.2f MiB in %.2f s:"
                                + " %.2f MiB/s, %.0f characters/s; CPU %.1f s (%.2f MiB per CPU-second);"
                                + " load average %.1f -> %.1f%n",
                        pass, result.files, result.failed, result.duplicates, result.chunks, result.characters,
                        bytes / MIB, result.seconds, bytes / MIB / result.seconds, result.characters / result.seconds,
                        result.cpuSeconds, bytes / MIB / result.cpuSeconds, result.loadBefore, result.loadAfter);
            }
        }
        return 0;
    }

    private static final double MIB = 1024.0 * 1024.0;

    private record Pass(int files, int failed, int duplicates, int chunks, long characters, double seconds,
                        double cpuSeconds, double loadBefore, double loadAfter) {
    }

    /** One pass into an empty data folder, kept until the run ends (see {@link ScratchFolders}). */
    private static Pass runPass(IngestOptions options, List<IngestSource> sources, Path folder)
            throws IOException, InterruptedException {
        DataFolder data = DataFolder.at(folder);
        try (ChunkIndex index = ChunkIndex.open(data.index(), options.profile());
             IngestPipeline pipeline = IngestPipeline.open(data, index, options)) {
            // Load the analyzers' dictionaries before the clock starts, as a running application has them.
            new ChunkSearcher(index).search(SearchRequest.of("预热 warm-up", 1));
            double loadBefore = loadAverage();
            long cpuStart = processCpuNanos();
            long start = System.nanoTime();
            List<IngestJob> jobs = new ArrayList<>(sources.size());
            for (IngestSource source : sources) {
                jobs.add(pipeline.submit(source));
            }
            pipeline.awaitIdle();
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
            int failed = 0;
            int duplicates = 0;
            long characters = 0;
            for (IngestJob job : jobs) {
                IngestProgress progress = job.progress();
                if (progress.outcome() == IngestOutcome.FAILED) {
                    failed++;
                } else if (progress.outcome() == IngestOutcome.DUPLICATE) {
                    duplicates++;
                } else {
                    characters += progress.characters();
                }
            }
            return new Pass(jobs.size(), failed, duplicates, index.chunkCount(), characters, seconds,
                    cpuSeconds, loadBefore, loadAverage());
        }
    }

    private void addFiles(Path path, List<IngestSource> sources) throws IOException {
        DocumentParsers parsers = DocumentParsers.withDefaults();
        if (Files.isRegularFile(path)) {
            sources.add(IngestSource.of(path.getFileName().toString(), Files.readAllBytes(path)));
            return;
        }
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException("no such file or folder: " + path);
        }
        Path root = path.toAbsolutePath().normalize();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                String relative = root.relativize(file).toString().replace('\\', '/');
                if (!relative.startsWith(".") && !relative.contains("/.")
                        && parsers.supports(file.getFileName().toString())) {
                    sources.add(IngestSource.of(relative, Files.readAllBytes(file)));
                }
            }
        }
    }

    private void addDocuments(List<IngestSource> sources) throws IOException {
        List<EvalDocument> documents = new ArrayList<>();
        for (Path file : documentFiles) {
            documents.addAll(EvalFiles.readDocuments(file));
        }
        Random random = new Random(20_240_601L);
        for (int copy = 0; copy < copies; copy++) {
            for (EvalDocument document : documents) {
                EvalDocument variant = copy == 0 ? document
                        : new EvalDocument(document.docId(), document.title(), shuffleSentences(document.text(),
                        random));
                String markdown = RetrievalBenchmark.markdown(variant);
                sources.add(IngestSource.of(document.docId() + "-" + copy + ".md",
                        markdown.getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    /** The text's sentences (ended by 。！？ or a line break) in a random order, five to a paragraph. */
    static String shuffleSentences(String text, Random random) {
        List<String> sentences = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '。' || c == '！' || c == '？' || c == '\n') {
                addSentence(text.substring(start, i + 1), sentences);
                start = i + 1;
            }
        }
        addSentence(text.substring(start), sentences);
        Collections.shuffle(sentences, random);
        StringBuilder shuffled = new StringBuilder(text.length() + sentences.size() / 5 + 1);
        for (int i = 0; i < sentences.size(); i++) {
            String sentence = sentences.get(i);
            shuffled.append(sentence);
            char last = sentence.charAt(sentence.length() - 1);
            // A sentence without an end mark (a line of its own) must not run into the next one.
            if (i % 5 == 4 || (last != '。' && last != '！' && last != '？')) {
                shuffled.append('\n');
            }
        }
        return shuffled.toString();
    }

    private static void addSentence(String sentence, List<String> sentences) {
        String stripped = sentence.strip();
        if (!stripped.isEmpty()) {
            sentences.add(stripped);
        }
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static long processCpuNanos() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }
}
