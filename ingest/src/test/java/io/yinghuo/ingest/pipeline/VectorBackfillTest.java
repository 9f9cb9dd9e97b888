package io.yinghuo.ingest.pipeline;

import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.index.ChunkRecord;
import io.yinghuo.retrieval.index.DocumentRecord;
import io.yinghuo.retrieval.search.ChunkSearcher;
import io.yinghuo.retrieval.search.SearchHit;
import io.yinghuo.retrieval.search.SearchRequest;
import io.yinghuo.retrieval.vectors.Embedder;
import io.yinghuo.retrieval.vectors.ForegroundGate;
import org.apache.lucene.util.VectorUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The vector backfill inside a real pipeline, with a deterministic embedding model ({@link BigramEmbeddingModel}):
 * what it embeds, in which order, what it commits, what searches then see, and how it waits, fails and stops.
 * Tests that need the middle of a backfill hold the model on a latch; none sleeps.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VectorBackfillTest {

    private static final String WARM_UP = "预热";
    private static final long WAIT_SECONDS = 20;

    @TempDir
    Path dir;

    private OpenedFolder open() throws IOException {
        return OpenedFolder.open(DataFolder.at(dir), IngestOptions.defaults().withCommitWindowMillis(2));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code lines} sentences about {@code topic}, each with {@code marker}, so that every chunk is findable. */
    private static String text(String topic, String marker, int lines) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            text.append(topic).append("的第").append(i).append("句记载了城市的发展与河流的变迁，编号 ").append(marker)
                    .append("。\n");
        }
        return text.toString();
    }

    private static IngestProgress ingest(OpenedFolder folder, String name, String text) throws InterruptedException {
        IngestProgress progress = folder.pipeline.ingest(IngestSource.of(name, utf8(text)));
        assertTrue(progress.succeeded(), progress::toString);
        return progress;
    }

    private static Embedder embedder(BigramEmbeddingModel model) {
        return Embedder.of(model, model.modelName(), BigramEmbeddingModel.DIMENSION, "");
    }

    /** The committed documents in the order a backfill takes them: oldest ingestion first. */
    private static List<DocumentRecord> oldestFirst(ChunkIndex index) {
        List<DocumentRecord> all = new ArrayList<>(index.documents());
        all.sort(Comparator.comparingLong(DocumentRecord::ingestedAtMillis).thenComparing(DocumentRecord::docId));
        return all;
    }

    /** A document's chunks as the backfill gives them to the model. */
    private static List<String> passages(ChunkIndex index, DocumentRecord record) throws IOException {
        List<String> passages = new ArrayList<>();
        for (ChunkRecord chunk : index.chunks(record.docId())) {
            passages.add(Embedder.passageText(record.title(), chunk.headingPath(), chunk.text()));
        }
        return passages;
    }

    private static int batches(int chunks) {
        return (chunks + VectorBackfill.BATCH - 1) / VectorBackfill.BATCH;
    }

    private static boolean isWarmUp(List<String> passages) {
        return passages.equals(List.of(WARM_UP));
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue(latch.await(WAIT_SECONDS, TimeUnit.SECONDS), "timed out waiting: " + what);
    }

    /** The relevance a hybrid hit of {@code query} must have if its vector is {@code model}'s vector of its text. */
    private static float expectedSimilarity(BigramEmbeddingModel model, String query, SearchHit hit) {
        float[] passage = model.vectorOf(Embedder.passageText(hit.title(), hit.headingPath(), hit.text()));
        return (1 + VectorUtil.dotProduct(model.vectorOf(query), passage)) / 2;
    }

    private static void assertVectorProgress(VectorProgress expected, VectorProgress actual, String context) {
        assertEquals(expected.space(), actual.space(), context);
        assertEquals(expected.state(), actual.state(), context);
        assertEquals(expected.chunksDone(), actual.chunksDone(), context + " chunksDone");
        assertEquals(expected.chunksTotal(), actual.chunksTotal(), context + " chunksTotal");
        assertEquals(expected.documentsDone(), actual.documentsDone(), context + " documentsDone");
        assertEquals(expected.documentsTotal(), actual.documentsTotal(), context + " documentsTotal");
        assertEquals(expected.currentDocument(), actual.currentDocument(), context + " currentDocument");
        assertEquals(expected.currentDone(), actual.currentDone(), context + " currentDone");
        assertEquals(expected.currentTotal(), actual.currentTotal(), context + " currentTotal");
        assertEquals(expected.error(), actual.error(), context + " error");
    }

    @Test
    void embedsEveryDocumentOldestFirstInBatchesAndHybridSearchUsesTheVectors() throws Exception {
        String[] topics = {"黄河", "长江", "故宫", "长城", "西湖", "泰山"};
        int[] lines = {3, 40, 90, 12, 60, 150};
        try (OpenedFolder folder = open()) {
            List<String> docIds = new ArrayList<>();
            for (int i = 0; i < topics.length; i++) {
                docIds.add(ingest(folder, topics[i] + ".txt", text(topics[i], "mk" + i + "q", lines[i])).docId());
            }
            ChunkIndex index = folder.index;
            List<DocumentRecord> order = oldestFirst(index);
            int total = order.stream().mapToInt(DocumentRecord::chunkCount).sum();
            assertTrue(order.stream().anyMatch(d -> d.chunkCount() > 2 * VectorBackfill.BATCH),
                    "a document needs several batches: " + order);
            assertTrue(order.stream().anyMatch(d -> d.chunkCount() % VectorBackfill.BATCH != 0),
                    "a document ends with a short batch: " + order);

            BigramEmbeddingModel model = new BigramEmbeddingModel("bigram-test");
            AtomicReference<VectorBackfill> started = new AtomicReference<>();
            CountDownLatch startReturned = new CountDownLatch(1);
            List<VectorProgress> atBatches = new CopyOnWriteArrayList<>();
            model.withHook(passages -> {
                startReturned.await();
                if (!isWarmUp(passages)) {
                    atBatches.add(started.get().progress());
                }
            });
            Embedder embedder = embedder(model);
            assertTrue(folder.pipeline.vectors().isEmpty());
            VectorBackfill backfill = folder.pipeline.startVectors(embedder);
            started.set(backfill);
            startReturned.countDown();
            assertSame(backfill, folder.pipeline.vectors().orElseThrow());
            assertEquals(embedder.space(), backfill.space());

            VectorProgress done = backfill.awaitComplete();
            String space = embedder.space().label();
            assertTrue(done.complete(), done::toString);
            assertVectorProgress(new VectorProgress(space, "idle", total, total, order.size(), order.size(), "", 0,
                    0, 0, ""), done, "complete");
            assertTrue(done.chunksPerSecond() > 0, done::toString);
            assertEquals("语义索引 " + total + "/" + total, done.label());
            assertEquals(total, index.chunkCount());

            // Every chunk embedded exactly once, document after document, oldest first, BATCH chunks per call.
            List<String> expectedPassages = new ArrayList<>(List.of(WARM_UP));
            List<VectorProgress> expectedAtBatches = new ArrayList<>();
            int chunksBefore = 0;
            for (int k = 0; k < order.size(); k++) {
                DocumentRecord record = order.get(k);
                expectedPassages.addAll(passages(index, record));
                for (int b = 0; b < batches(record.chunkCount()); b++) {
                    expectedAtBatches.add(new VectorProgress(space, "running", chunksBefore, total, k, order.size(),
                            record.docId(), b * VectorBackfill.BATCH, record.chunkCount(), 0, ""));
                }
                chunksBefore += record.chunkCount();
            }
            assertEquals(expectedPassages, model.passages());
            assertEquals(1 + expectedAtBatches.size(), model.batches());
            assertEquals(expectedAtBatches.size(), atBatches.size());
            for (int i = 0; i < atBatches.size(); i++) {
                assertVectorProgress(expectedAtBatches.get(i), atBatches.get(i), "at batch " + i);
            }

            for (DocumentRecord record : index.documents()) {
                IndexedVectors.assertEmbeddedBy(index, record, embedder.space(), model, "after the backfill");
            }
            assertTrue(index.documentsWithoutVectors(embedder.space()).isEmpty());

            ChunkSearcher hybrid = new ChunkSearcher(index, embedder);
            for (int i = 0; i < topics.length; i++) {
                String query = topics[i] + "的历史";
                List<SearchHit> hits = hybrid.search(SearchRequest.of(query, 10));
                assertFalse(hits.isEmpty(), query);
                assertEquals(docIds.get(i), hits.get(0).docId(), query);
                for (SearchHit hit : hits) {
                    assertEquals(SearchHit.HYBRID, hit.retrieval(), query);
                    assertEquals(expectedSimilarity(model, query, hit), hit.similarity(), 1e-4, query);
                }
                List<SearchHit> lexical = folder.searcher.search(SearchRequest.of(query, 10));
                assertEquals(docIds.get(i), lexical.get(0).docId(), query);
                assertTrue(lexical.stream().allMatch(h -> SearchHit.LEXICAL.equals(h.retrieval())), query);
            }
            assertEquals(total, IndexedVectors.assertNoDuplicateChunks(index, hybrid, "城市的发展", "hybrid").size());
        }
    }

    @Test
    void aDocumentCommittedAfterTheBackfillWentIdleGetsItsVectorsToo() throws Exception {
        try (OpenedFolder folder = open()) {
            ChunkIndex index = folder.index;
            ingest(folder, "一.txt", text("黄河", "mk1q", 30));
            ingest(folder, "二.txt", text("长江", "mk2q", 5));
            BigramEmbeddingModel model = new BigramEmbeddingModel("bigram-test");
            Embedder embedder = embedder(model);
            VectorBackfill backfill = folder.pipeline.startVectors(embedder);
            VectorProgress first = backfill.awaitComplete();
            assertTrue(first.complete(), first::toString);
            assertEquals("idle", first.state());
            assertEquals(2, first.documentsTotal());

            // One more document, after the backfill went idle: its commit wakes it.
            IngestProgress third = ingest(folder, "三.txt", text("故宫", "mk3q", 20));
            VectorProgress second = backfill.awaitComplete();
            assertTrue(second.complete(), second::toString);
            assertEquals(3, second.documentsDone());
            assertEquals(index.chunkCount(), second.chunksDone());
            IndexedVectors.assertEmbeddedBy(index, index.document(third.docId()).orElseThrow(), embedder.space(),
                    model, "the late document");
            SearchHit hit = new ChunkSearcher(index, embedder).search(SearchRequest.of("故宫", 1)).get(0);
            assertEquals(third.docId(), hit.docId());
            assertEquals(SearchHit.HYBRID, hit.retrieval());

            // Many at once while it works: all of them get vectors, each once.
            List<IngestJob> jobs = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                jobs.add(folder.pipeline.submit(IngestSource.of("批" + i + ".txt",
                        utf8(text("主题" + i, "mkb" + i + "q", 3 + 7 * i)))));
            }
            folder.pipeline.awaitIdle();
            assertTrue(jobs.stream().allMatch(j -> j.progress().succeeded()));
            VectorProgress afterBatch = backfill.awaitComplete();
            assertTrue(afterBatch.complete(), afterBatch::toString);
            assertEquals(15, afterBatch.documentsTotal());
            for (DocumentRecord record : index.documents()) {
                IndexedVectors.assertEmbeddedBy(index, record, embedder.space(), model, "after the batch");
            }
            int chunks = index.documents().stream().mapToInt(DocumentRecord::chunkCount).sum();
            assertEquals(1 + chunks, model.passages().size(), "every chunk embedded once");

            // A deletion embeds nothing and the counts follow it.
            int embedded = model.passages().size();
            assertTrue(folder.pipeline.delete(third.docId()));
            VectorProgress afterDelete = backfill.awaitComplete();
            assertTrue(afterDelete.complete(), afterDelete::toString);
            assertEquals(14, afterDelete.documentsTotal());
            assertEquals(index.chunkCount(), afterDelete.chunksTotal());
            assertEquals(embedded, model.passages().size());
        }
    }

    @Test
    void awaitCompleteAfterAnAcknowledgementWaitsForThatDocumentsVectors() throws Exception {
        try (OpenedFolder folder = open()) {
            BigramEmbeddingModel model = new BigramEmbeddingModel("bigram-test");
            Embedder embedder = embedder(model);
            VectorBackfill backfill = folder.pipeline.startVectors(embedder);
            assertTrue(backfill.awaitComplete().complete());
            // It returned too early (while the backfill went from idle to running) about once in ten files.
            for (int i = 0; i < 20; i++) {
                IngestProgress added = ingest(folder, "文件" + i + ".txt", text("主题" + i, "mk" + i + "q", 1 + i % 9));
                VectorProgress progress = backfill.awaitComplete();
                assertTrue(progress.complete(), "after file " + i + ": " + progress);
                assertEquals(i + 1, progress.documentsDone(), progress::toString);
                IndexedVectors.assertEmbeddedBy(folder.index, folder.index.document(added.docId()).orElseThrow(),
                        embedder.space(), model, "file " + i);
            }
        }
    }

    /**
     * A caller that shows progress waits with a timeout: it hears "not yet" (empty) while a batch is still being
     * embedded, at once for a zero timeout, and the finished progress once the batch is done; the reported rate is
     * chunks per second of embedding time (the held batch took at least the 50 ms waited here).
     */
    @Test
    void awaitCompleteWithATimeoutSaysNotYetWhileABatchIsHeldThenGivesTheProgress() throws Exception {
        try (OpenedFolder folder = open()) {
            ingest(folder, "一.txt", text("黄河", "mk1q", 10));
            BigramEmbeddingModel model = new BigramEmbeddingModel("bigram-test");
            CountDownLatch inBatch = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            model.withHook(passages -> {
                if (!isWarmUp(passages)) {
                    inBatch.countDown();
                    release.await();
                }
            });
            VectorBackfill backfill = folder.pipeline.startVectors(embedder(model));
            await(inBatch, "the first batch");
            assertEquals(Optional.empty(), backfill.awaitComplete(0, TimeUnit.SECONDS));
            long start = System.nanoTime();
            assertEquals(Optional.empty(), backfill.awaitComplete(50, TimeUnit.MILLISECONDS));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50), "waited its timeout");
            release.countDown();
            VectorProgress done = backfill.awaitComplete(WAIT_SECONDS, TimeUnit.SECONDS).orElseThrow();
            assertTrue(done.complete(), done::toString);
            long chunks = folder.index.chunkCount();
            assertEquals(chunks, done.chunksDone());
            assertTrue(done.chunksPerSecond() > 0.01 && done.chunksPerSecond() <= chunks / 0.05, done::toString);
        }
    }

    @Test
    void reingestingAChangedDocumentReembedsItAndNothingElse() throws Exception {
        try (OpenedFolder folder = open()) {
            ChunkIndex index = folder.index;
            IngestProgress a = ingest(folder, "甲.txt", text("黄河", "mkaq", 25));
            IngestProgress b = ingest(folder, "乙.txt", text("长江", "mkbq", 40));
            IngestProgress c = ingest(folder, "丙.txt", text("故宫", "mkcq", 10));
            BigramEmbeddingModel model = new BigramEmbeddingModel("bigram-test");
            Embedder embedder = embedder(model);
            VectorBackfill backfill = folder.pipeline.startVectors(embedder);
            assertTrue(backfill.awaitComplete().complete());
            int passagesBefore = model.passages().size();
            int batchesBefore = model.batches();

            IngestProgress changed = ingest(folder, "乙.txt", text("西湖", "mkb2q", 22));
            assertEquals(IngestOutcome.REPLACED, changed.outcome());
            assertEquals(b.docId(), changed.docId());
            VectorProgress done = backfill.awaitComplete();
            assertTrue(done.complete(), done::toString);
            DocumentRecord record = index.document(b.docId()).orElseThrow();
            List<String> reembedded = model.passages().subList(passagesBefore, model.passages().size());
            assertEquals(passages(index, record), reembedded, "only the new version of 乙 is embedded");
            assertEquals(batchesBefore + batches(record.chunkCount()), model.batches());
            assertTrue(reembedded.stream().allMatch(p -> p.contains("mkb2q") && !p.contains("mkbq")));
            IndexedVectors.assertEmbeddedBy(index, record, embedder.space(), model, "the new version");
            for (String other : List.of(a.docId(), c.docId())) {
                IndexedVectors.assertEmbeddedBy(index, index.document(other).orElseThrow(), embedder.space(), model,
                        "an unchanged document");
            }
            ChunkSearcher hybrid = new ChunkSearcher(index, embedder);
            IndexedVectors.assertNoDuplicateChunks(index, hybrid, "城市的发展", "after the replacement");

            // The same bytes again: nothing changes, nothing is embedded.
            assertEquals(IngestOutcome.UNCHANGED, ingest(folder, "乙.txt", text("西湖", "mkb2q", 22)).outcome());
            assertTrue(backfill.awaitComplete().complete());
            assertEquals(passagesBefore + reembedded.size(), model.passages().size());
        }
    }

    @Test
    void anotherModelReembedsEverythingAndSearchesUseOnlyTheirOwnModelsVectors() throws Exception {
        BigramEmbeddingModel modelA = new BigramEmbeddingModel("bigram-a", 0);
        Embedder embedderA = embedder(modelA);
        List<String> order;
        try (OpenedFolder folder = open()) {
            String[] topics = {"黄河", "长江", "故宫", "长城"};
            for (int i = 0; i < topics.length; i++) {
                ingest(folder, topics[i] + ".txt", text(topics[i], "mk" + i + "q", 15 + 10 * i));
            }
            assertTrue(folder.pipeline.startVectors(embedderA).awaitComplete().complete());
            order = oldestFirst(folder.index).stream().map(DocumentRecord::docId).toList();
        }

        BigramEmbeddingModel modelB = new BigramEmbeddingModel("bigram-b", 1);
        Embedder embedderB = embedder(modelB);
        assertEquals(embedderA.space().fieldName(), embedderB.space().fieldName(), "one Lucene field for both");
        try (OpenedFolder folder = open()) {
            ChunkIndex index = folder.index;
            for (DocumentRecord record : index.documents()) {
                IndexedVectors.assertEmbeddedBy(index, record, embedderA.space(), modelA, "reopened");
            }
            AtomicReference<VectorBackfill> started = new AtomicReference<>();
            CountDownLatch startReturned = new CountDownLatch(1);
            CountDownLatch paused = new CountDownLatch(1);
            CountDownLatch resume = new CountDownLatch(1);
            modelB.withHook(passages -> {
                startReturned.await();
                if (!isWarmUp(passages) && paused.getCount() > 0 && started.get().progress().documentsDone() == 2) {
                    paused.countDown();
                    resume.await();
                }
            });
            VectorBackfill backfill = folder.pipeline.startVectors(embedderB);
            started.set(backfill);
            startReturned.countDown();
            await(paused, "two documents re-embedded");

            // Halfway: two documents have B's vectors, two still A's; each search uses its own model's only.
            VectorProgress halfway = backfill.progress();
            assertEquals(2, halfway.documentsDone(), halfway::toString);
            assertEquals("running", halfway.state());
            assertEquals(order.get(2), halfway.currentDocument());
            Set<String> withB = Set.of(order.get(0), order.get(1));
            for (String docId : order) {
                DocumentRecord record = index.document(docId).orElseThrow();
                if (withB.contains(docId)) {
                    IndexedVectors.assertEmbeddedBy(index, record, embedderB.space(), modelB, "halfway");
                } else {
                    IndexedVectors.assertEmbeddedBy(index, record, embedderA.space(), modelA, "halfway");
                }
            }
            String query = "城市的发展";
            assertRetrieval(new ChunkSearcher(index, embedderB), modelB, query, withB, index.chunkCount());
            Set<String> withA = order.stream().filter(id -> !withB.contains(id)).collect(Collectors.toSet());
            assertRetrieval(new ChunkSearcher(index, embedderA), modelA, query, withA, index.chunkCount());

            resume.countDown();
            VectorProgress done = backfill.awaitComplete();
            assertTrue(done.complete(), done::toString);
            assertEquals(embedderB.space().label(), done.space());
            for (DocumentRecord record : index.documents()) {
                IndexedVectors.assertEmbeddedBy(index, record, embedderB.space(), modelB, "after the new model");
            }
            assertEquals(1 + index.chunkCount(), modelB.passages().size(), "B embedded every chunk once");
            assertEquals(index.documents().size(), index.documentsWithoutVectors(embedderA.space()).size());
            assertRetrieval(new ChunkSearcher(index, embedderB), modelB, query, Set.copyOf(order),
                    index.chunkCount());
            assertRetrieval(new ChunkSearcher(index, embedderA), modelA, query, Set.of(), index.chunkCount());
        }
    }

    /** Hits of {@code hybridDocs} are hybrid with {@code model}'s similarity; every other hit is lexical. */
    private static void assertRetrieval(ChunkSearcher searcher, BigramEmbeddingModel model, String query,
                                        Set<String> hybridDocs, int chunks) throws IOException {
        List<SearchHit> hits = searcher.search(SearchRequest.of(query, 1_000).withSnippets(false));
        assertEquals(chunks, hits.size(), "the query matches every chunk");
        for (SearchHit hit : hits) {
            String what = model.modelName() + ": chunk " + hit.chunkIndex() + " of " + hit.docId();
            if (hybridDocs.contains(hit.docId())) {
                assertEquals(SearchHit.HYBRID, hit.retrieval(), what);
                assertEquals(expectedSimilarity(model, query, hit), hit.similarity(), 1e-4, what);
            } else {
                assertEquals(SearchHit.LEXICAL, hit.retrieval(), what);
                assertTrue(Float.isNaN(hit.similarity()), what);
            }
        }
    }

    @Test
    void aFailingModelLeavesTheBackfillFailedAndKeywordSearchWorking() throws Exception {
        try (OpenedFolder folder = open()) {
            ChunkIndex index = folder.index;
            ingest(folder, "一.txt", text("黄河", "mk1q", 20));
            ingest(folder, "二.txt", text("长江", "mk2q", 20));
            ingest(folder, "三.txt", text("故宫", "mk3q", 20));
            DocumentRecord oldest = oldestFirst(index).get(0);
            BigramEmbeddingModel model = new BigramEmbeddingModel("bigram-test");
            model.withHook(passages -> {
                if (!isWarmUp(passages) && passages.stream().noneMatch(p -> p.startsWith(oldest.title() + "\n"))) {
                    throw new IllegalStateException("显存不足");
                }
            });
            Embedder embedder = embedder(model);
            VectorBackfill backfill = folder.pipeline.startVectors(embedder);
            VectorProgress failed = backfill.awaitComplete();
            assertEquals("failed", failed.state(), failed::toString);
            assertEquals("显存不足", failed.error());
            assertFalse(failed.complete());
            assertEquals(1, failed.documentsDone());
            assertEquals(oldest.chunkCount(), failed.chunksDone());
            assertEquals(3, failed.documentsTotal());
            IndexedVectors.assertEmbeddedBy(index, oldest, embedder.space(), model, "before the failure");
            for (DocumentRecord record : index.documents()) {
                if (!record.docId().equals(oldest.docId())) {
                    IndexedVectors.assertNoVectors(index, record, embedder.space(), "after the failure");
                }
            }

            // Searches go on: by keywords, and hybrid where there are vectors.
            List<SearchHit> lexical = folder.searcher.search(SearchRequest.of("长江", 3));
            assertEquals(SearchHit.LEXICAL, lexical.get(0).retrieval());
            assertEquals("二.txt", lexical.get(0).fileName());
            List<SearchHit> hybrid = new ChunkSearcher(index, embedder).search(SearchRequest.of("长江", 3));
            assertEquals("二.txt", hybrid.get(0).fileName());
            assertEquals(SearchHit.LEXICAL, hybrid.get(0).retrieval());
            // Ingestion goes on too, and the pipeline closes normally.
            IngestProgress fourth = ingest(folder, "四.txt", text("长城", "mk4q", 5));
            assertEquals(fourth.docId(), folder.searcher.search(SearchRequest.of("长城", 1)).get(0).docId());
            assertEquals("failed", backfill.progress().state());
        }
    }

    @Test
    void aModelThatCannotEvenLoadFailsAtOnceAndQueriesFallBackToKeywords() throws Exception {
        try (OpenedFolder folder = open()) {
            ChunkIndex index = folder.index;
            IngestProgress doc = ingest(folder, "一.txt", text("黄河", "mk1q", 20));
            BigramEmbeddingModel model = new BigramEmbeddingModel("bigram-test")
                    .withHook(passages -> {
                        throw new IllegalStateException("找不到模型文件");
                    })
                    .withQueryHook(query -> {
                        throw new IllegalStateException("找不到模型文件");
                    });
            Embedder embedder = embedder(model);
            VectorProgress failed = folder.pipeline.startVectors(embedder).awaitComplete();
            assertEquals("failed", failed.state(), failed::toString);
            assertEquals("找不到模型文件", failed.error());
            assertEquals(0, failed.chunksDone());
            assertEquals(1, failed.documentsTotal());
            IndexedVectors.assertNoVectors(index, index.document(doc.docId()).orElseThrow(), embedder.space(),
                    "failed");
            List<SearchHit> hits = new ChunkSearcher(index, embedder).search(SearchRequest.of("黄河", 3));
            assertEquals(doc.docId(), hits.get(0).docId());
            assertTrue(hits.stream().allMatch(h -> SearchHit.LEXICAL.equals(h.retrieval())));
        }
    }

    @Test
    void aModelThatThrowsAnErrorFailsTheBackfillInsteadOfLeavingItRunningForever() throws Exception {
        try (OpenedFolder folder = open()) {
            ingest(folder, "一.txt", text("黄河", "mk1q", 20));
            BigramEmbeddingModel model = new BigramEmbeddingModel("bigram-test").withHook(passages -> {
                throw new UnsatisfiedLinkError("no onnxruntime in java.library.path");
            });
            VectorBackfill backfill = folder.pipeline.startVectors(embedder(model));
            VectorProgress failed = backfill.awaitComplete(); // hung when the thread died of an Error
            assertEquals("failed", failed.state(), failed::toString);
            assertEquals("no onnxruntime in java.library.path", failed.error());
            assertEquals(IngestOutcome.ADDED, ingest(folder, "二.txt", text("长江", "mk2q", 5)).outcome());
        }
    }

    @Test
    void theBackfillDoesNotEmbedWhileASearchRunsAndResumesAfterIt() throws Exception {
        try (OpenedFolder folder = open()) {
            ChunkIndex index = folder.index;
            ingest(folder, "一.txt", text("黄河", "mk1q", 90));
            ingest(folder, "二.txt", text("长江", "mk2q", 90));
            ingest(folder, "三.txt", text("故宫", "mk3q", 90));
            assertTrue(index.documents().stream().allMatch(d -> d.chunkCount() > VectorBackfill.BATCH),
                    index.documents().toString());
            AtomicReference<Embedder> embedderRef = new AtomicReference<>();
            AtomicReference<Thread> backfillThread = new AtomicReference<>();
            List<Integer> searchesAtBatchStart = new CopyOnWriteArrayList<>();
            CountDownLatch inBatch = new CountDownLatch(1);
            CountDownLatch releaseBatch = new CountDownLatch(1);
            CountDownLatch queryEntered = new CountDownLatch(1);
            CountDownLatch releaseQuery = new CountDownLatch(1);
            BigramEmbeddingModel model = new BigramEmbeddingModel("bigram-test");
            model.withHook(passages -> {
                if (isWarmUp(passages)) {
                    return;
                }
                backfillThread.set(Thread.currentThread());
                searchesAtBatchStart.add(embedderRef.get().foreground().active());
                if (inBatch.getCount() > 0) {
                    inBatch.countDown();
                    releaseBatch.await();
                }
            });
            model.withQueryHook(query -> {
                if (query.contains("前台")) {
                    queryEntered.countDown();
                    releaseQuery.await();
                }
            });
            Embedder embedder = embedder(model);
            embedderRef.set(embedder);
            ChunkSearcher hybrid = new ChunkSearcher(index, embedder);
            VectorBackfill backfill = folder.pipeline.startVectors(embedder);
            await(inBatch, "the first batch");

            // A search starts while the backfill is inside a batch: that batch finishes, the next one waits.
            CompletableFuture<List<SearchHit>> search = CompletableFuture.supplyAsync(() -> {
                try {
                    return hybrid.search(SearchRequest.of("前台问题：黄河", 5));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            await(queryEntered, "the search");
            assertEquals(1, embedder.foreground().active());
            int batchesBefore = model.batches();
            releaseBatch.countDown();
            awaitParkedIn(backfillThread.get(), ForegroundGate.class, "awaitIdle");
            assertEquals(batchesBefore + 1, model.batches(), "the batch in flight finished, no other started");
            VectorProgress waiting = backfill.progress();
            assertEquals("running", waiting.state());
            assertEquals(VectorBackfill.BATCH, waiting.currentDone());
            assertEquals(0, waiting.documentsDone());
            assertFalse(search.isDone());

            releaseQuery.countDown();
            List<SearchHit> hits = search.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertFalse(hits.isEmpty());
            VectorProgress done = backfill.awaitComplete();
            assertTrue(done.complete(), done::toString);
            assertEquals(0, embedder.foreground().active());
            assertFalse(searchesAtBatchStart.isEmpty());
            assertTrue(searchesAtBatchStart.stream().allMatch(n -> n == 0),
                    "no batch started while a search ran: " + searchesAtBatchStart);
            for (DocumentRecord record : index.documents()) {
                IndexedVectors.assertEmbeddedBy(index, record, embedder.space(), model, "after the search");
            }
        }
    }

    /** Waits until {@code thread} waits inside {@code type.method} (a state it cannot leave by itself). */
    private static void awaitParkedIn(Thread thread, Class<?> type, String method) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            Thread.State state = thread.getState();
            StackTraceElement[] stack = thread.getStackTrace();
            if (state == Thread.State.WAITING && Arrays.stream(stack).anyMatch(
                    f -> f.getClassName().equals(type.getName()) && f.getMethodName().equals(method))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail(thread.getName() + " is " + state + " at " + Arrays.toString(stack));
            }
            Thread.sleep(1);
        }
    }

    @Test
    void closingThePipelineStopsTheBackfillInTheMiddleOfADocument() throws Exception {
        closeWhileEmbedding(90);
    }

    @Test
    void closingThePipelineStopsTheBackfillInTheLastBatchOfADocument() throws Exception {
        closeWhileEmbedding(2);
    }

    /**
     * Closes the pipeline while the model is inside the first batch of the first document, which has about
     * {@code lines} lines (one batch when short); the model finishes the batch with the interrupt flag set, as a
     * model computing on the CPU would. The backfill stops cleanly, commits nothing partial, and a later run
     * finishes the work.
     */
    private void closeWhileEmbedding(int lines) throws Exception {
        BigramEmbeddingModel model = new BigramEmbeddingModel("bigram-test");
        Embedder embedder = embedder(model);
        VectorBackfill backfill;
        AtomicReference<Thread> backfillThread = new AtomicReference<>();
        int chunks;
        try (OpenedFolder folder = open()) {
            ingest(folder, "一.txt", text("黄河", "mk1q", lines));
            ingest(folder, "二.txt", text("长江", "mk2q", 10));
            DocumentRecord oldest = oldestFirst(folder.index).get(0);
            assertEquals(lines > 10, oldest.chunkCount() > VectorBackfill.BATCH, oldest::toString);
            CountDownLatch inBatch = new CountDownLatch(1);
            CountDownLatch never = new CountDownLatch(1);
            model.withHook(passages -> {
                if (!isWarmUp(passages)) {
                    backfillThread.set(Thread.currentThread());
                    inBatch.countDown();
                    never.await(); // only an interrupt gets out
                }
            });
            backfill = folder.pipeline.startVectors(embedder);
            await(inBatch, "the first batch");
            int batches = model.batches();
            folder.pipeline.close(); // returns only once the backfill thread has ended
            assertFalse(backfillThread.get().isAlive());
            VectorProgress stopped = backfill.progress();
            assertEquals("stopped", stopped.state(), stopped::toString);
            assertEquals("", stopped.error());
            assertEquals(batches + 1, model.batches(), "the batch in flight finished, no other started");
            assertSame(stopped.state(), backfill.awaitComplete().state(), "awaitComplete returns once stopped");
            assertThrows(IllegalStateException.class, () -> folder.pipeline.startVectors(embedder));
            // Nothing partial: the document has all of its vectors or none.
            if (folder.index.vectorSpace(oldest.docId()).isPresent()) {
                assertTrue(oldest.chunkCount() <= VectorBackfill.BATCH);
                IndexedVectors.assertEmbeddedBy(folder.index, oldest, embedder.space(), model, "stopped");
            } else {
                IndexedVectors.assertNoVectors(folder.index, oldest, embedder.space(), "stopped");
            }
            chunks = folder.index.chunkCount();
        }
        model.withHook(passages -> {
        });
        try (OpenedFolder folder = open()) {
            VectorProgress done = folder.pipeline.startVectors(embedder).awaitComplete();
            assertTrue(done.complete(), done::toString);
            assertEquals(chunks, done.chunksDone());
            for (DocumentRecord record : folder.index.documents()) {
                IndexedVectors.assertEmbeddedBy(folder.index, record, embedder.space(), model, "resumed");
            }
            IndexedVectors.assertNoDuplicateChunks(folder.index, new ChunkSearcher(folder.index, embedder),
                    "城市的发展", "resumed");
        }
    }

    @Test
    void closingAnIdleBackfillStopsIt() throws Exception {
        try (OpenedFolder folder = open()) {
            ingest(folder, "一.txt", text("黄河", "mk1q", 10));
            VectorBackfill backfill = folder.pipeline.startVectors(embedder(new BigramEmbeddingModel("bigram-test")));
            assertEquals("idle", backfill.awaitComplete().state());
            folder.pipeline.close();
            assertEquals("stopped", backfill.progress().state());
            assertTrue(backfill.progress().complete());
        }
    }

    @Test
    void theBackfillStartsOncePerPipeline() throws Exception {
        try (OpenedFolder folder = open()) {
            Embedder embedder = embedder(new BigramEmbeddingModel("bigram-test"));
            VectorBackfill backfill = folder.pipeline.startVectors(embedder);
            IllegalStateException twice = assertThrows(IllegalStateException.class,
                    () -> folder.pipeline.startVectors(embedder));
            assertTrue(twice.getMessage().contains("already"), twice.getMessage());
            assertThrows(IllegalStateException.class,
                    () -> folder.pipeline.startVectors(embedder(new BigramEmbeddingModel("other"))));
            assertSame(backfill, folder.pipeline.vectors().orElseThrow());
            VectorProgress empty = backfill.awaitComplete();
            assertTrue(empty.complete(), "nothing to do is complete: " + empty);
            assertEquals(0, empty.documentsTotal());
        }
        try (OpenedFolder folder = open()) {
            folder.pipeline.close();
            assertThrows(IllegalStateException.class,
                    () -> folder.pipeline.startVectors(embedder(new BigramEmbeddingModel("bigram-test"))));
            assertTrue(folder.pipeline.vectors().isEmpty());
        }
    }
}
