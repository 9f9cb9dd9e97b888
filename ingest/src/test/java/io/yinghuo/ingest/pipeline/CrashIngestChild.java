package io.yinghuo.ingest.pipeline;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The process {@link CrashRecoveryTest} kills: ingests {@code count} generated files into a data folder and prints
 * {@code ACK <docId> <chunks> <marker>} for each one as soon as the pipeline acknowledges it.
 */
public final class CrashIngestChild {

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        IngestOptions options = IngestOptions.defaults().withCommitWindowMillis(5).withListener(p -> {
            if (p.succeeded()) {
                synchronized (System.out) {
                    System.out.println("ACK " + p.docId() + " " + p.chunks() + " " + marker(p.fileName()));
                    System.out.flush();
                }
            }
        });
        try (OpenedFolder folder = OpenedFolder.open(DataFolder.at(data), options)) {
            IngestPipeline pipeline = folder.pipeline;
            System.out.println("READY");
            System.out.flush();
            for (int i = 0; i < count; i++) {
                pipeline.submit(IngestSource.of("doc" + i + ".txt", content(i).getBytes(StandardCharsets.UTF_8)));
            }
            pipeline.awaitIdle();
        }
        System.out.println("FINISHED");
    }

    static String marker(String fileName) {
        return "mk" + fileName.replaceAll("\\D", "") + "q";
    }

    /** Several chunks per file, a unique searchable marker in every chunk-sized stretch. */
    static String content(int i) {
        StringBuilder text = new StringBuilder();
        String marker = "mk" + i + "q";
        for (int s = 0; s < 40 + (i % 7) * 10; s++) {
            text.append("第").append(s).append("句记载了城市的发展与河流的变迁，编号 ").append(marker).append("。\n");
        }
        return text.toString();
    }

    private CrashIngestChild() {
    }
}
