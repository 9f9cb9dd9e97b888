package io.yinghuo.ingest.pipeline;

import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.index.ChunkRecord;
import io.yinghuo.retrieval.index.DocumentRecord;
import io.yinghuo.retrieval.search.ChunkSearcher;
import io.yinghuo.retrieval.search.SearchHit;
import io.yinghuo.retrieval.search.SearchRequest;
import io.yinghuo.retrieval.vectors.Embedder;
import io.yinghuo.retrieval.vectors.VectorSpace;
import org.apache.lucene.util.VectorUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Kill -9 during the vector backfill, again and again on one data folder: a child JVM ({@link CrashVectorsChild})
 * ingests files while the backfill embeds them and prints what is acknowledged and which documents' vectors are
 * committed; it is killed after a random number of those lines (sometimes none), five times, each time restarted on
 * the same folder. After every kill the reopened folder must hold every acknowledged document, searchable, every
 * document reported with vectors still with all of them, no document with part of its vectors, no chunk twice,
 * and the backfill must have resumed where it was (documents only ever gain vectors). A last run then finishes.
 *
 * <p>The kills are random: the seed is in every failure message, and {@code -Dyinghuo.vectorCrashSeed=<seed>}
 * replays a run.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class VectorCrashRecoveryTest {

    private static final int DOCUMENTS = 60;
    private static final int KILLS = 5;
    /** Most progress lines a run may print before it is killed. */
    private static final int MAX_LINES_BEFORE_KILL = 25;

    @TempDir
    Path dir;

    record Ack(String docId, int chunks, String marker) {
    }

    /** What one child run printed. */
    record Run(boolean ready, Map<String, Ack> acks, Set<String> vectors, boolean finished, int lines, int exit) {
    }

    @Test
    void killedBackfillsKeepEveryCommittedVectorAndResume() throws Exception {
        long seed = Long.getLong("yinghuo.vectorCrashSeed", System.nanoTime());
        Random random = new Random(seed);
        Path data = dir.resolve("data");
        Map<String, Ack> acks = new LinkedHashMap<>();
        Set<String> reported = new HashSet<>();
        Set<String> withVectors = Set.of();
        for (int kill = 1; kill <= KILLS; kill++) {
            int remaining = 2 * DOCUMENTS;
            if (kill > 1) {
                try (OpenedFolder folder = OpenedFolder.open(DataFolder.at(data), IngestOptions.defaults())) {
                    remaining = (DOCUMENTS - folder.index.documents().size()) + (DOCUMENTS - withVectors.size());
                }
            }
            // Fewer lines than the run will print, so that it is always killed before it finishes; one run in five
            // right after it started the backfill.
            int killAfter = random.nextInt(5) == 0 ? 0 : random.nextInt(Math.min(MAX_LINES_BEFORE_KILL, remaining));
            int delayMillis = random.nextInt(8);
            String context = "seed " + seed + ", kill " + kill + " after " + killAfter + " lines + " + delayMillis
                    + " ms";
            Run run = runChild(data, kill, killAfter, delayMillis, context);
            assertTrue(run.ready(), context + ": the child did not start; stderr: " + stderr(kill));
            assertFalse(run.finished(), context + ": the child finished before it was killed");
            assertTrue(run.lines() >= killAfter, context + ": the child died by itself after " + run.lines()
                    + " lines; stderr: " + stderr(kill));
            acks.putAll(run.acks());
            reported.addAll(run.vectors());
            withVectors = check(data, acks, reported, withVectors, context);
        }

        Run last = runChild(data, KILLS + 1, -1, 0, "seed " + seed + ", last run");
        assertTrue(last.finished() && last.exit() == 0, "seed " + seed + ": the last run did not finish; stderr: "
                + stderr(KILLS + 1));
        acks.putAll(last.acks());
        reported.addAll(last.vectors());
        Set<String> all = check(data, acks, reported, withVectors, "seed " + seed + ", after the last run");
        assertEquals(allDocIds(), all, "seed " + seed + ": every document has its vectors");
    }

    /**
     * Runs the child on {@code data} and reads its lines; kills it forcibly {@code delayMillis} after the
     * {@code killAfter}-th ACK or VEC line (0: right after READY), or lets it finish when {@code killAfter} < 0.
     */
    private Run runChild(Path data, int number, int killAfter, int delayMillis, String context) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CrashVectorsChild.class.getName(), data.toString(), Integer.toString(DOCUMENTS));
        builder.redirectError(dir.resolve("child-stderr-" + number + ".txt").toFile());
        Process child = builder.start();
        Map<String, Ack> acks = new LinkedHashMap<>();
        Set<String> vectors = new HashSet<>();
        boolean ready = false;
        boolean finished = false;
        int lines = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                String[] parts = line.split(" ");
                switch (parts[0]) {
                    case "ACK" -> {
                        acks.put(parts[1], new Ack(parts[1], Integer.parseInt(parts[2]), parts[3]));
                        lines++;
                    }
                    case "VEC" -> {
                        assertTrue(vectors.add(parts[1]), context + ": reported twice: " + line);
                        lines++;
                    }
                    case "FINISHED" -> finished = true;
                    case "READY" -> ready = true;
                    default -> fail(context + ": unexpected line from the child: " + line + "; stderr: "
                            + stderr(number));
                }
                if (killAfter >= 0 && lines >= killAfter && !parts[0].equals("FINISHED")) {
                    if (delayMillis > 0) {
                        Thread.sleep(delayMillis); // the child goes on meanwhile: the kill lands anywhere
                    }
                    child.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no close; closes our pipe
                    break;
                }
            }
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), context + ": the child did not end");
        return new Run(ready, acks, vectors, finished, lines, child.exitValue());
    }

    /**
     * Checks the reopened folder and returns the documents that have vectors; fails unless they include
     * {@code before}.
     */
    private Set<String> check(Path data, Map<String, Ack> acks, Set<String> reported, Set<String> before,
                              String context) throws IOException {
        BigramEmbeddingModel model = new BigramEmbeddingModel(CrashVectorsChild.MODEL);
        Embedder embedder = CrashVectorsChild.embedder(model);
        VectorSpace space = embedder.space();
        try (OpenedFolder folder = OpenedFolder.open(DataFolder.at(data), IngestOptions.defaults())) {
            ChunkIndex index = folder.index;
            ChunkSearcher hybrid = new ChunkSearcher(index, embedder);
            for (Ack ack : acks.values()) {
                DocumentRecord record = index.document(ack.docId()).orElseThrow(
                        () -> new AssertionError(context + ": acknowledged document lost: " + ack));
                assertEquals(ack.chunks(), record.chunkCount(), context);
                assertComplete(index.chunks(ack.docId()), record, context);
                List<SearchHit> hits = folder.searcher.search(SearchRequest.of(ack.marker(), 1));
                assertEquals(ack.docId(), hits.get(0).docId(), context + ": searchable by its marker " + ack.marker());
            }
            Set<String> withVectors = new TreeSet<>();
            for (DocumentRecord record : index.documents()) {
                assertComplete(index.chunks(record.docId()), record, context);
                if (index.vectorSpace(record.docId()).isPresent()) {
                    IndexedVectors.assertEmbeddedBy(index, record, space, model, context);
                    withVectors.add(record.docId());
                } else {
                    IndexedVectors.assertNoVectors(index, record, space, context);
                }
            }
            for (String docId : reported) {
                assertTrue(withVectors.contains(docId), context + ": reported with vectors, now without: " + docId);
                DocumentRecord record = index.document(docId).orElseThrow();
                String marker = CrashIngestChild.marker(record.fileName());
                List<SearchHit> hits = hybrid.search(SearchRequest.of(marker, 100).withDocIds(List.of(docId)));
                Set<Integer> chunks = new TreeSet<>();
                for (SearchHit hit : hits) {
                    assertEquals(SearchHit.HYBRID, hit.retrieval(), context + ": chunk " + hit.chunkIndex() + " of "
                            + docId);
                    assertTrue(chunks.add(hit.chunkIndex()), context + ": chunk twice");
                }
                assertEquals(record.chunkCount(), chunks.size(), context + ": chunks of " + docId + " found");
            }
            // A chunk's own text (one sentence, so that the searcher does not split it) finds it, with the similarity
            // of its own vector.
            for (String docId : withVectors) {
                DocumentRecord record = index.document(docId).orElseThrow();
                ChunkRecord chunk = index.chunks(docId).get(record.chunkCount() / 2);
                String passage = Embedder.passageText(record.title(), chunk.headingPath(), chunk.text());
                String query = passage.replace('。', '，');
                SearchHit hit = hybrid.search(SearchRequest.of(query, 40).withSnippets(false)).stream()
                        .filter(h -> h.docId().equals(docId) && h.chunkIndex() == chunk.index()).findFirst()
                        .orElseThrow(() -> new AssertionError(context + ": chunk " + chunk.index() + " of " + docId
                                + " not found by its own text"));
                assertEquals(SearchHit.HYBRID, hit.retrieval(), context);
                float expected = (1 + VectorUtil.dotProduct(model.vectorOf(query), model.vectorOf(passage))) / 2;
                assertTrue(expected > 0.95, context + ": " + expected);
                assertEquals(expected, hit.similarity(), 1e-4, context + ": similarity to its own text");
            }
            IndexedVectors.assertNoDuplicateChunks(index, hybrid, "城市的发展", context);
            assertEquals(difference(docIds(index.documents()), withVectors),
                    docIds(index.documentsWithoutVectors(space)), context + ": what the backfill has left to do");
            // The backfill resumes: of all the documents, those without vectors are fewer and fewer.
            Set<String> without = difference(allDocIds(), withVectors);
            Set<String> withoutBefore = difference(allDocIds(), before);
            assertTrue(withoutBefore.containsAll(without), () -> context + ": documents lost their vectors: "
                    + difference(without, withoutBefore));
            return withVectors;
        }
    }

    private static Set<String> allDocIds() {
        Set<String> ids = new TreeSet<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            ids.add(CrashVectorsChild.docId(i));
        }
        return ids;
    }

    private static Set<String> docIds(List<DocumentRecord> records) {
        Set<String> ids = new TreeSet<>();
        for (DocumentRecord record : records) {
            ids.add(record.docId());
        }
        return ids;
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }

    private static void assertComplete(List<ChunkRecord> chunks, DocumentRecord record, String context) {
        assertEquals(record.chunkCount(), chunks.size(), context + ": chunks of " + record.docId());
        for (int i = 0; i < chunks.size(); i++) {
            assertEquals(i, chunks.get(i).index(), context + ": chunk indexes of " + record.docId());
        }
    }

    private String stderr(int number) {
        try {
            return Files.readString(dir.resolve("child-stderr-" + number + ".txt"));
        } catch (IOException e) {
            return "(unreadable)";
        }
    }
}
