package io.yinghuo.cli;

import io.yinghuo.ingest.parse.DocumentParsers;
import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.ingest.pipeline.IngestOptions;
import io.yinghuo.ingest.pipeline.IngestOutcome;
import io.yinghuo.ingest.pipeline.IngestPipeline;
import io.yinghuo.ingest.pipeline.IngestProgress;
import io.yinghuo.ingest.pipeline.IngestSource;
import io.yinghuo.ingest.pipeline.IngestStage;
import io.yinghuo.retrieval.index.ChunkIndex;
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
import java.util.Map;
import java.util.concurrent.Callable;
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
            "Exit code: 0 when every file was ingested (or already was), 1 when some failed."})
public final class IngestCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data",
            description = "Data folder (index in DIR/index, originals in DIR/originals). Default: ./data")
    Path data;

    @Option(names = "--collection", paramLabel = "NAME", defaultValue = "",
            description = "Collection (knowledge base) to put the documents in. Default: none")
    String collection;

    @Option(names = {"-v", "--verbose"}, description = "Also print every stage (parsing, chunking, indexing).")
    boolean verbose;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or folders to ingest.")
    List<Path> paths;

    @Override
    public Integer call() throws IOException, InterruptedException {
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
        DataFolder folder = DataFolder.at(data);
        try (ChunkIndex index = ChunkIndex.open(folder.index(), options.profile());
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
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int failed = outcomes.getOrDefault(IngestOutcome.FAILED, 0) + unreadable;
        out.printf("ingested %d file%s: %d added, %d replaced, %d unchanged, %d duplicate, %d failed;"
                        + " %d characters in %.1f s (%.0f characters/s)%n",
                total, total == 1 ? "" : "s", outcomes.getOrDefault(IngestOutcome.ADDED, 0),
                outcomes.getOrDefault(IngestOutcome.REPLACED, 0), outcomes.getOrDefault(IngestOutcome.UNCHANGED, 0),
                outcomes.getOrDefault(IngestOutcome.DUPLICATE, 0), failed, characters[0], seconds,
                seconds > 0 ? characters[0] / seconds : 0);
        return failed == 0 ? 0 : 1;
    }

    private static String finalLine(int n, int total, IngestProgress p) {
        String head = String.format("[%d/%d] %-9s %s", n, total, p.outcome().label(), p.fileName());
        if (p.outcome() == IngestOutcome.FAILED || p.outcome() == IngestOutcome.DUPLICATE) {
            return head + ": " + p.message();
        }
        if (p.outcome() == IngestOutcome.UNCHANGED) {
            return head;
        }
        return head + String.format(" (%d characters, %d chunk%s, document %s)", p.characters(), p.chunks(),
                p.chunks() == 1 ? "" : "s", p.docId());
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
