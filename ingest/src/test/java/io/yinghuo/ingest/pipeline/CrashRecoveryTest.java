package io.yinghuo.ingest.pipeline;

import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.index.ChunkRecord;
import io.yinghuo.retrieval.index.DocumentRecord;
import io.yinghuo.retrieval.search.SearchHit;
import io.yinghuo.retrieval.search.SearchRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kill -9 in the middle of ingesting: a real child JVM ingests many files and prints each acknowledgement; it is
 * killed forcibly after some of them; the reopened data folder must hold every acknowledged document complete and
 * searchable, and no partial document.
 */
class CrashRecoveryTest {

    private static final int FILES = 400;
    private static final int KILL_AFTER_ACKS = 25;

    @TempDir
    Path dir;

    record Ack(String docId, int chunks, String marker) {
    }

    @Test
    void killedIngestionLosesNoAcknowledgedDocumentAndShowsNoPartialOne() throws Exception {
        Path data = dir.resolve("data");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CrashIngestChild.class.getName(), data.toString(), Integer.toString(FILES));
        builder.redirectError(dir.resolve("child-stderr.txt").toFile());
        Process child = builder.start();
        Map<String, Ack> acks = new LinkedHashMap<>();
        boolean finished = false;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    String[] parts = line.split(" ");
                    acks.put(parts[1], new Ack(parts[1], Integer.parseInt(parts[2]), parts[3]));
                    if (acks.size() >= KILL_AFTER_ACKS) {
                        child.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no close
                        break;
                    }
                } else if (line.equals("FINISHED")) {
                    finished = true;
                }
            }
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertFalse(finished, "the child finished before it could be killed; raise FILES");
        assertEquals(KILL_AFTER_ACKS, acks.size(), () -> "child stderr: " + readQuietly(dir.resolve(
                "child-stderr.txt")));

        try (OpenedFolder folder = OpenedFolder.open(DataFolder.at(data), IngestOptions.defaults())) {
            ChunkIndex index = folder.index;
            for (Ack ack : acks.values()) {
                DocumentRecord record = index.document(ack.docId()).orElseThrow(
                        () -> new AssertionError("acknowledged document lost: " + ack));
                assertEquals(ack.chunks(), record.chunkCount());
                assertComplete(index.chunks(ack.docId()), record);
                assertTrue(Files.exists(folder.originals.resolve(record.originalPath())));
                List<SearchHit> hits = folder.searcher.search(SearchRequest.of(ack.marker(), 1));
                assertEquals(ack.docId(), hits.get(0).docId(), "searchable by its marker " + ack.marker());
            }
            // Whatever else the last commit holds is complete too, and no chunk is without its document.
            int chunkTotal = 0;
            for (DocumentRecord record : index.documents()) {
                assertComplete(index.chunks(record.docId()), record);
                chunkTotal += record.chunkCount();
            }
            assertEquals(chunkTotal, index.chunkCount());
            assertTrue(index.documents().size() >= acks.size());
            assertTrue(index.documents().size() < FILES);

            // The folder is usable: the remaining files can be ingested after the crash.
            IngestProgress next = folder.pipeline.ingest(IngestSource.of("doc" + (FILES - 1) + ".txt",
                    CrashIngestChild.content(FILES - 1).getBytes(StandardCharsets.UTF_8)));
            assertTrue(next.succeeded());
        }
    }

    private static void assertComplete(List<ChunkRecord> chunks, DocumentRecord record) {
        assertEquals(record.chunkCount(), chunks.size(), "chunks of " + record.docId());
        List<Integer> indexes = new ArrayList<>();
        for (ChunkRecord chunk : chunks) {
            indexes.add(chunk.index());
        }
        for (int i = 0; i < indexes.size(); i++) {
            assertEquals(i, indexes.get(i), "chunk indexes of " + record.docId());
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (Exception e) {
            return "(unreadable)";
        }
    }
}
