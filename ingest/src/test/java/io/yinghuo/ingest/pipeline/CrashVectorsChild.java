package io.yinghuo.ingest.pipeline;

import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.index.DocumentRecord;
import io.yinghuo.retrieval.vectors.Embedder;
import io.yinghuo.retrieval.vectors.VectorSpace;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The process {@link VectorCrashRecoveryTest} kills: opens a data folder, starts the vector backfill with the
 * deterministic test model, ingests those of {@code count} generated files the folder does not hold yet, and prints
 * <ul>
 *   <li>{@code READY <documents with vectors>} once the backfill is started,</li>
 *   <li>{@code ACK <docId> <chunks> <marker>} when the pipeline acknowledges a file (it is committed),</li>
 *   <li>{@code VEC <docId> <chunks>} when a document's vectors are committed (once per document and run),</li>
 *   <li>{@code FINISHED} when every file is in and every document has its vectors.</li>
 * </ul>
 */
public final class CrashVectorsChild {

    static final String MODEL = "bigram-crash";

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        IngestOptions options = IngestOptions.defaults().withCommitWindowMillis(5).withListener(p -> {
            if (p.succeeded()) {
                print("ACK " + p.docId() + " " + p.chunks() + " " + CrashIngestChild.marker(p.fileName()));
            }
        });
        try (OpenedFolder folder = OpenedFolder.open(DataFolder.at(data), options)) {
            ChunkIndex index = folder.index;
            Embedder embedder = embedder();
            VectorSpace space = embedder.space();
            Set<String> reported = new HashSet<>();
            for (DocumentRecord record : index.documents()) {
                if (space.equals(index.vectorSpace(record.docId()).orElse(null))) {
                    reported.add(record.docId());
                }
            }
            VectorBackfill backfill = folder.pipeline.startVectors(embedder);
            print("READY " + reported.size());
            Thread submitter = new Thread(() -> {
                try {
                    for (int i = 0; i < count; i++) {
                        if (index.document(docId(i)).isEmpty()) {
                            folder.pipeline.submit(IngestSource.of(fileName(i),
                                    content(i).getBytes(StandardCharsets.UTF_8)));
                        }
                    }
                    folder.pipeline.awaitIdle();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "submitter");
            submitter.start();
            while (true) {
                boolean submitted = !submitter.isAlive(); // read first: everything is committed when it ends
                for (DocumentRecord record : index.documents()) {
                    if (space.equals(index.vectorSpace(record.docId()).orElse(null)) && reported.add(record.docId())) {
                        print("VEC " + record.docId() + " " + record.chunkCount());
                    }
                }
                VectorProgress progress = backfill.progress();
                if ("failed".equals(progress.state())) {
                    print("FAILED " + progress.error());
                    System.exit(3);
                }
                if (submitted && reported.size() == count) {
                    break;
                }
                Thread.sleep(1);
            }
        }
        print("FINISHED");
    }

    /** The embedder the child fills the folder with (and the test checks and searches with). */
    static Embedder embedder() {
        return embedder(new BigramEmbeddingModel(MODEL));
    }

    static Embedder embedder(BigramEmbeddingModel model) {
        return Embedder.of(model, MODEL, BigramEmbeddingModel.DIMENSION, "");
    }

    /** One to six batches of chunks, the marker {@link CrashIngestChild#marker} finds in every chunk. */
    static String content(int i) {
        StringBuilder text = new StringBuilder();
        String marker = CrashIngestChild.marker(fileName(i));
        for (int s = 0; s < 8 + (i % 6) * 9; s++) {
            text.append("第").append(s).append("句记载了城市的发展与河流的变迁，编号 ").append(marker).append("。\n");
        }
        return text.toString();
    }

    static String fileName(int i) {
        return "doc" + i + ".txt";
    }

    static String docId(int i) {
        return DocumentIds.forFile("", fileName(i));
    }

    private static void print(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }

    private CrashVectorsChild() {
    }
}
