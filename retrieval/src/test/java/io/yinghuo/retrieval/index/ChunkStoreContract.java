package io.yinghuo.retrieval.index;

import io.yinghuo.retrieval.TestIndexes;
import io.yinghuo.retrieval.search.ChunkSearcher;
import io.yinghuo.retrieval.search.SearchHit;
import io.yinghuo.retrieval.search.SearchRequest;
import io.yinghuo.retrieval.vectors.VectorSpace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link ChunkStore} must do, whatever the backend: a subclass gives an empty store of the
 * {@link IndexProfile#CHINESE_HYBRID} profile and the same tests run against it. Keyword scores are compared with
 * an embedded {@link ChunkIndex} holding the same documents, so a backend scores exactly as the embedded index.
 * Published in this module's test jar for the backend modules.
 */
public abstract class ChunkStoreContract {

    /** A 64-dimension space (the test vector field every backend's schema has). */
    protected static final VectorSpace SPACE = new VectorSpace("contract-model", 64);

    @TempDir
    protected Path referenceDir;

    protected ChunkStore store;

    /** An empty store of the {@link IndexProfile#CHINESE_HYBRID} profile, open for writing. */
    protected abstract ChunkStore newEmptyStore() throws IOException;

    /** The store {@link #newEmptyStore} gave, opened a second time for searching only. */
    protected abstract ChunkStore openReadOnly() throws IOException;

    @BeforeEach
    void openStore() throws IOException {
        store = newEmptyStore();
    }

    @AfterEach
    void closeStore() throws IOException {
        store.close();
    }

    private static void stage(ChunkStore target, String docId, String collection, String title, String... texts)
            throws IOException {
        List<String> list = List.of(texts);
        target.stageReplace(TestIndexes.record(docId, collection, title, list, "sha-" + docId + list.hashCode()),
                TestIndexes.chunks(list));
    }

    @Test
    void stagedChangesAreInvisibleUntilCommit() throws IOException {
        stage(store, "a", "", "河流", "长江是中国第一长河。");
        assertTrue(store.hasStagedChanges());
        assertTrue(store.document("a").isEmpty());
        assertEquals(0, store.chunkCount());
        assertEquals(List.of(), search("长江"));
        assertEquals(List.of("a"), store.commit());
        assertFalse(store.hasStagedChanges());
        assertEquals("河流", store.document("a").orElseThrow().title());
        assertEquals(1, store.chunkCount());
        assertEquals(List.of("a"), ChunkSearcher.documentIds(search("长江")));
    }

    @Test
    void replaceSwapsTheWholeDocument() throws IOException {
        TestIndexes.put(store, "doc", "", "旧版", "旧版第一段讲苹果。", "旧版第二段讲香蕉。", "旧版第三段讲葡萄。");
        TestIndexes.put(store, "doc", "", "新版", "新版只讲西瓜。");
        assertEquals(List.of("新版只讲西瓜。"), store.chunks("doc").stream().map(ChunkRecord::text).toList());
        assertEquals(1, store.chunkCount());
        assertEquals(List.of(), search("葡萄"), "a chunk of the old version outlived the replacement");
        assertEquals("新版", store.document("doc").orElseThrow().title());
    }

    @Test
    void deleteRemovesChunksAndCatalogueEntry() throws IOException {
        TestIndexes.put(store, "a", "", "河流", "长江是中国第一长河。");
        TestIndexes.put(store, "b", "", "珠江", "珠江流经广州。");
        store.stageDelete("a");
        assertTrue(store.document("a").isPresent(), "a staged delete is not visible before the commit");
        store.commit();
        assertTrue(store.document("a").isEmpty());
        assertEquals(List.of(), store.chunks("a"));
        assertEquals(1, store.chunkCount());
        assertEquals(List.of("b"), store.documents().stream().map(DocumentRecord::docId).toList());
    }

    @Test
    void catalogueFindsDocumentsByHashAndName() throws IOException {
        List<String> texts = List.of("同一份内容。");
        store.stageReplace(TestIndexes.record("z", "甲", "Z", texts, "sha-same"), TestIndexes.chunks(texts));
        store.stageReplace(TestIndexes.record("y", "乙", "Y", texts, "sha-same"), TestIndexes.chunks(texts));
        store.commit();
        assertEquals("y", store.documentBySha256("sha-same").orElseThrow().docId(), "the smallest id of several");
        assertTrue(store.documentBySha256("sha-other").isEmpty());
        assertEquals("z", store.documentByName("甲", "z.txt").orElseThrow().docId());
        assertTrue(store.documentByName("乙", "z.txt").isEmpty());
        DocumentRecord read = store.document("z").orElseThrow();
        assertEquals(TestIndexes.record("z", "甲", "Z", texts, "sha-same"), read, "every catalogue field kept");
    }

    @Test
    void documentsAndChunksComeBackInOrder() throws IOException {
        TestIndexes.put(store, "b", "", "B", "第一段。", "第二段。", "第三段。");
        TestIndexes.put(store, "a", "", "A", "唯一一段。");
        assertEquals(List.of("a", "b"), store.documents().stream().map(DocumentRecord::docId).toList());
        assertEquals(TestIndexes.chunks(List.of("第一段。", "第二段。", "第三段。")), store.chunks("b"));
        assertEquals(4, store.chunkCount());
    }

    @Test
    void collectionsAreRegisteredRenamedAndDeleted() throws IOException {
        store.stageCollection("空库", 1234L);
        TestIndexes.put(store, "a", "旧名", "河流", "长江是中国第一长河。");
        TestIndexes.put(store, "b", "", "珠江", "珠江流经广州。");
        assertFalse(store.hasStagedChanges(), "the registration went with the commit");
        assertEquals(List.of(new CollectionRecord("", 1, 0, false), new CollectionRecord("旧名", 1, 0, false),
                new CollectionRecord("空库", 0, 1234L, true)), store.collections());
        assertTrue(store.collectionExists("空库"));
        List<DocumentRecord> moved = store.stageCollectionRename("旧名", "新名");
        assertEquals(List.of("a"), moved.stream().map(DocumentRecord::docId).toList());
        store.commit();
        assertFalse(store.collectionExists("旧名"));
        assertEquals("新名", store.document("a").orElseThrow().collection());
        assertEquals(List.of("a"), ChunkSearcher.documentIds(searcher().search(SearchRequest.of("长江", 5)
                .withCollections(List.of("新名")))));
        store.stageCollectionDelete("新名");
        store.commit();
        assertTrue(store.document("a").isEmpty());
        assertFalse(store.collectionExists("新名"));
        assertEquals(1, store.chunkCount());
    }

    @Test
    void searchesKeepToTheirScope() throws IOException {
        TestIndexes.put(store, "a", "甲", "河流", "长江是中国第一长河。");
        TestIndexes.put(store, "b", "乙", "河流", "黄河是中国第二长河。");
        TestIndexes.put(store, "c", "乙", "河流", "珠江是中国第三长河。");
        assertEquals(Set.of("a", "b", "c"), Set.copyOf(ChunkSearcher.documentIds(search("长河"))));
        assertEquals(List.of("b"), ChunkSearcher.documentIds(searcher().search(SearchRequest.of("长河", 5)
                .withDocIds(List.of("b")))));
        assertEquals(Set.of("b", "c"), Set.copyOf(ChunkSearcher.documentIds(searcher().search(
                SearchRequest.of("长河", 5).withCollections(List.of("乙"))))));
    }

    @Test
    void keywordScoresEqualTheEmbeddedIndex() throws IOException {
        try (ChunkIndex reference = ChunkIndex.open(referenceDir.resolve("reference"), IndexProfile.CHINESE_HYBRID)) {
            String[][] docs = {
                    {"a", "长江", "长江是中国第一长河，全长六千三百公里。", "长江流经上海。"},
                    {"b", "黄河", "黄河是中国第二长河。", "黄河流经兰州和郑州，郑州在河南。"},
                    {"c", "珠江", "珠江流经广州，广州是广东的省会。"},
                    {"d", "學術", "臺灣的大學很多。"}, // traditional: folded to simplified on both sides
                    {"e", "English", "The Yangtze River is the longest river in Asia."},
            };
            for (String[] doc : docs) {
                String[] texts = java.util.Arrays.copyOfRange(doc, 2, doc.length);
                stage(store, doc[0], "", doc[1], texts);
                stage(reference, doc[0], "", doc[1], texts);
            }
            store.commit();
            reference.commit();
            for (String question : List.of("中国第一长河是哪条？", "郑州在哪个省", "台湾大学", "longest rivers",
                    "广州 黄河 长江")) {
                Map<String, Float> expected = scores(new ChunkSearcher(reference), question);
                Map<String, Float> actual = scores(searcher(), question);
                assertEquals(expected.keySet(), actual.keySet(), question);
                expected.forEach((chunk, score) -> assertEquals(score, actual.get(chunk), 1e-5, question + " " + chunk));
            }
            try (SearchSnapshot a = store.snapshot(); SearchSnapshot b = reference.snapshot()) {
                assertEquals(b.documentCount(IndexFields.WORDS), a.documentCount(IndexFields.WORDS));
                assertEquals(b.documentCount(IndexFields.BIGRAMS), a.documentCount(IndexFields.BIGRAMS));
                List<String> terms = List.of("郑州", "长江", "大学", "长河", "没有的词", "河南}", "$x");
                for (String term : terms) {
                    assertEquals(b.documentFrequency(IndexFields.WORDS, term),
                            a.documentFrequency(IndexFields.WORDS, term), term);
                }
                for (String field : List.of(IndexFields.WORDS, IndexFields.BIGRAMS)) {
                    long[] oneByOne = new long[terms.size()];
                    for (int i = 0; i < oneByOne.length; i++) {
                        oneByOne[i] = b.documentFrequency(field, terms.get(i));
                    }
                    assertArrayEquals(oneByOne, a.documentFrequencies(field, terms), field);
                    assertArrayEquals(oneByOne, b.documentFrequencies(field, terms), field);
                }
                assertEquals(2, a.documentFrequency(IndexFields.BIGRAMS, "长河"), "two chunks say 长河");
                assertArrayEquals(new long[0], a.documentFrequencies(IndexFields.WORDS, List.of()));
            }
        }
    }

    /** Each hit's fused score (BM25 divided by the best) by document and chunk. */
    private static Map<String, Float> scores(ChunkSearcher searcher, String question) throws IOException {
        Map<String, Float> scores = new HashMap<>();
        for (SearchHit hit : searcher.search(SearchRequest.of(question, 20).withSnippets(false))) {
            scores.put(hit.docId() + "#" + hit.chunkIndex(), hit.score());
        }
        return scores;
    }

    @Test
    void rawBm25ScoresEqualTheEmbeddedIndex() throws IOException {
        try (ChunkIndex reference = ChunkIndex.open(referenceDir.resolve("raw"), IndexProfile.CHINESE_HYBRID)) {
            for (ChunkStore target : List.of(store, reference)) {
                stage(target, "a", "", "长江", "长江是中国第一长河。", "长江流经上海，上海是城市。");
                stage(target, "b", "", "黄河", "黄河是中国第二长河。");
                target.commit();
            }
            List<WeightedTerm> terms = List.of(new WeightedTerm(IndexFields.WORDS, "长江", 1f),
                    new WeightedTerm(IndexFields.WORDS, "上海", 2f), new WeightedTerm(IndexFields.BIGRAMS, "长河", 1f));
            assertEquals(rawScores(reference, terms), rawScores(store, terms));
        }
    }

    private static List<String> rawScores(ChunkStore target, List<WeightedTerm> terms) throws IOException {
        try (SearchSnapshot snapshot = target.snapshot()) {
            List<ChunkScore> scores = snapshot.lexical(terms, SearchScope.ALL, 10);
            List<IndexedChunk> chunks = snapshot.chunks(scores.stream().map(ChunkScore::key).toList());
            List<String> out = new ArrayList<>();
            for (int i = 0; i < scores.size(); i++) {
                out.add(chunks.get(i).docId() + "#" + chunks.get(i).chunk().index() + "="
                        + String.format("%.4f", scores.get(i).score()));
            }
            return out;
        }
    }

    @Test
    void vectorsAreStagedWholeAndFoundNearest() throws IOException {
        TestIndexes.put(store, "a", "", "河流", "长江。", "黄河。");
        TestIndexes.put(store, "b", "", "城市", "广州。");
        assertEquals(List.of("a", "b"), store.documentsWithoutVectors(SPACE).stream()
                .map(DocumentRecord::docId).toList());
        DocumentRecord a = store.document("a").orElseThrow();
        assertTrue(store.stageVectors(a, store.chunks("a"), SPACE, List.of(unit(0), unit(1))));
        store.commit();
        assertEquals(SPACE, store.vectorSpace("a").orElseThrow());
        assertTrue(store.vectorSpace("b").isEmpty());
        assertEquals(List.of("b"), store.documentsWithoutVectors(SPACE).stream().map(DocumentRecord::docId).toList());
        assertEquals(List.of("长江。", "黄河。"), store.chunks("a").stream().map(ChunkRecord::text).toList(),
                "the chunks are unchanged by their vectors");
        try (SearchSnapshot snapshot = store.snapshot()) {
            List<ChunkScore> nearest = snapshot.nearest(SPACE, unit(1), SearchScope.ALL, 5, 10);
            assertEquals(2, nearest.size(), "only chunks with vectors of the space");
            assertEquals(1f, nearest.get(0).score(), 1e-5);
            assertEquals(0f, nearest.get(1).score(), 1e-5);
            List<IndexedChunk> chunks = snapshot.chunks(nearest.stream().map(ChunkScore::key).toList());
            assertEquals(List.of(1, 0), chunks.stream().map(c -> c.chunk().index()).toList());
            assertArrayEquals(unit(1), snapshot.vector(nearest.get(0).key(), SPACE), 1e-6f);
            assertNull(snapshot.vector(nearest.get(0).key(), new VectorSpace("other", 64)));
            assertEquals(List.of(), snapshot.nearest(SPACE, unit(1), new SearchScope(Set.of("b"), Set.of()), 5, 10));
            List<ChunkScore> lexical = snapshot.lexical(
                    List.of(new WeightedTerm(IndexFields.WORDS, "广州", 1f)), SearchScope.ALL, 5);
            assertNull(snapshot.vector(lexical.get(0).key(), SPACE), "b has no vectors");
        }
    }

    @Test
    void vectorsOfAChangedDocumentAreRefused() throws IOException {
        TestIndexes.put(store, "a", "", "河流", "长江。");
        DocumentRecord read = store.document("a").orElseThrow();
        List<ChunkRecord> chunks = store.chunks("a");
        TestIndexes.put(store, "a", "", "河流", "黄河。");
        assertFalse(store.stageVectors(read, chunks, SPACE, List.of(unit(0))), "a newer version was committed");
        DocumentRecord current = store.document("a").orElseThrow();
        store.stageDelete("a");
        assertFalse(store.stageVectors(current, store.chunks("a"), SPACE, List.of(unit(0))),
                "a change is staged");
        store.commit();
        assertTrue(store.document("a").isEmpty());
    }

    @Test
    void searchHitsCarryCitationsAndHighlights() throws IOException {
        TestIndexes.put(store, "a", "手册", "用户手册", "第一章介绍安装步骤。", "第二章说明如何配置防火墙规则。");
        List<SearchHit> hits = search("怎样配置防火墙");
        SearchHit hit = hits.get(0);
        assertEquals("a", hit.docId());
        assertEquals("手册", hit.collection());
        assertEquals("a.txt", hit.fileName());
        assertEquals(1, hit.chunkIndex());
        assertEquals(2, hit.page());
        assertEquals("第二节", hit.headingPath());
        assertEquals("第二章说明如何配置防火墙规则。", hit.text());
        assertFalse(hit.highlights().isEmpty(), "the question's words are marked");
        assertTrue(hit.score() > 0 && hit.score() <= 1);
    }

    @Test
    void aReadOnlyStoreSearchesAndRefusesEveryChange() throws IOException {
        TestIndexes.put(store, "a", "甲", "河流", "长江是中国第一长河。");
        try (ChunkStore reader = openReadOnly()) {
            assertTrue(reader.readOnly());
            assertFalse(store.readOnly());
            assertEquals(store.location(), reader.location());
            assertFalse(reader.location().isBlank(), "messages name the index");
            assertEquals("河流", reader.document("a").orElseThrow().title());
            assertEquals(List.of("a"), ChunkSearcher.documentIds(new ChunkSearcher(reader)
                    .search(SearchRequest.of("长江", 5))));
            DocumentRecord a = reader.document("a").orElseThrow();
            List<Executable> changes = List.of(
                    () -> reader.stageReplace(a, reader.chunks("a")),
                    () -> reader.stageDelete("a"),
                    () -> reader.stageCollection("乙", 1L),
                    () -> reader.stageCollectionRename("甲", "乙"),
                    () -> reader.stageCollectionDelete("甲"),
                    () -> reader.stageCollectionDelete("乙"), // no documents: only its registration's removal
                    () -> reader.stageCollectionRename("乙", "丙"),
                    reader::commit);
            for (Executable change : changes) {
                assertThrows(IllegalStateException.class, change);
            }
            assertFalse(reader.hasStagedChanges());
        }
        assertEquals("甲", store.document("a").orElseThrow().collection(), "nothing changed");
    }

    @Test
    void aFailureBeforePublishingIsReportedAfterTheCommitIsPublished() throws IOException {
        stage(store, "a", "", "河流", "长江是中国第一长河。");
        boolean[] visibleBefore = {true};
        IOException thrown = assertThrows(IOException.class, () -> store.commit(() -> {
            visibleBefore[0] = store.document("a").isPresent();
            throw new IOException("磁盘已满");
        }));
        assertEquals("磁盘已满", thrown.getMessage());
        assertFalse(visibleBefore[0], "the work before publishing ran before the document was visible");
        assertTrue(store.document("a").isPresent(), "a prepared commit is finished");
        assertFalse(store.hasStagedChanges());
        assertEquals(List.of(), store.commit(), "nothing is committed twice");
    }

    @Test
    void renamingACollectionKeepsItsCreationTimeAndVectors() throws IOException {
        store.stageCollection("旧名", 1234L);
        TestIndexes.put(store, "a", "旧名", "河流", "长江。", "黄河。");
        assertTrue(store.stageVectors(store.document("a").orElseThrow(), store.chunks("a"), SPACE,
                List.of(unit(0), unit(1))));
        store.commit();
        store.stageCollectionRename("旧名", "新名");
        store.commit();
        assertEquals(List.of(new CollectionRecord("", 0, 0, false), new CollectionRecord("新名", 1, 1234L, true)),
                store.collections());
        assertEquals(SPACE, store.vectorSpace("a").orElseThrow(), "the vectors moved with the document");
        assertEquals(List.of(), store.documentsWithoutVectors(SPACE));
        try (SearchSnapshot snapshot = store.snapshot()) {
            List<ChunkScore> nearest = snapshot.nearest(SPACE, unit(1),
                    new SearchScope(Set.of(), Set.of("新名")), 5, 10);
            assertEquals(List.of(1, 0), snapshot.chunks(nearest.stream().map(ChunkScore::key).toList()).stream()
                    .map(c -> c.chunk().index()).toList());
            assertEquals(1f, nearest.get(0).score(), 1e-5);
        }
    }

    @Test
    void anUnregisteredCollectionIsAsOldAsItsOldestDocumentUntilRenamed() throws IOException {
        store.stageReplace(record("b", "甲", 5_000L), TestIndexes.chunks(List.of("黄河。")));
        store.stageReplace(record("a", "甲", 3_000L), TestIndexes.chunks(List.of("长江。")));
        store.commit();
        assertEquals(new CollectionRecord("甲", 2, 3_000L, false), store.collections().get(1));
        long before = System.currentTimeMillis();
        assertEquals(List.of("a", "b"), store.stageCollectionRename("甲", "乙").stream()
                .map(DocumentRecord::docId).toList());
        long after = System.currentTimeMillis();
        store.commit();
        CollectionRecord renamed = store.collections().get(1);
        assertEquals("乙", renamed.name());
        assertEquals(2, renamed.documents());
        assertTrue(renamed.registered(), "a renamed collection is registered under its new name");
        assertTrue(renamed.createdAtMillis() >= before && renamed.createdAtMillis() <= after,
                "registered when it was renamed: " + renamed.createdAtMillis());
        assertEquals(2, store.collections().size(), "the old name is gone");
    }

    @Test
    void documentsWithoutVectorsComeOldestFirstAndLeaveOutStagedOnes() throws IOException {
        store.stageReplace(record("c", "", 100L), TestIndexes.chunks(List.of("长江。")));
        store.stageReplace(record("b", "", 200L), TestIndexes.chunks(List.of("黄河。")));
        store.stageReplace(record("a", "", 200L), TestIndexes.chunks(List.of("珠江。")));
        store.commit();
        assertEquals(List.of("c", "a", "b"), store.documentsWithoutVectors(SPACE).stream()
                .map(DocumentRecord::docId).toList());
        store.stageReplace(record("a", "", 300L), TestIndexes.chunks(List.of("珠江流经广州。")));
        assertEquals(List.of("c", "b"), store.documentsWithoutVectors(SPACE).stream()
                .map(DocumentRecord::docId).toList(), "a staged document gets its vectors after its commit");
    }

    @Test
    void deletingTheDefaultCollectionEmptiesItAndKeepsIt() throws IOException {
        TestIndexes.put(store, "a", "", "河流", "长江。");
        TestIndexes.put(store, "b", "甲", "河流", "黄河。");
        assertEquals(List.of("a"), store.stageCollectionDelete("").stream().map(DocumentRecord::docId).toList());
        store.commit();
        assertEquals(List.of(new CollectionRecord("", 0, 0, false), new CollectionRecord("甲", 1, 0, false)),
                store.collections());
        assertTrue(store.collectionExists(""));
        assertThrows(IllegalArgumentException.class, () -> store.stageCollection("", 1L));
        assertThrows(IllegalArgumentException.class, () -> store.stageCollectionRename("", "乙"));
        assertThrows(IllegalArgumentException.class, () -> store.stageCollectionRename("甲", ""));
        assertFalse(store.hasStagedChanges(), "a refused change stages nothing");
    }

    @Test
    void manyDocumentsAndLongDocumentsComeBackWhole() throws IOException {
        int count = 1_001; // past one page of results and past one request's share of ids
        for (int i = 0; i < count; i++) {
            stage(store, String.format("d%04d", i), "", "第" + i + "篇", "第" + i + "篇的第一段。", "第" + i + "篇的第二段。");
        }
        store.commit();
        List<DocumentRecord> documents = store.documents();
        assertEquals(count, documents.size());
        assertEquals("d0000", documents.get(0).docId());
        assertEquals("d1000", documents.get(count - 1).docId());
        assertEquals(2 * count, store.chunkCount());
        for (int i = 0; i < count; i++) {
            stage(store, String.format("d%04d", i), "", "第" + i + "篇", "第" + i + "篇只剩一段。");
        }
        store.commit();
        assertEquals(count, store.chunkCount(), "every replaced document lost its surplus chunk");
        for (int i = 0; i < count; i++) {
            store.stageDelete(String.format("d%04d", i));
        }
        store.commit();
        assertEquals(0, store.chunkCount());
        assertEquals(List.of(), store.documents());

        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            texts.add("第" + i + "段。");
        }
        stage(store, "long", "", "长文", texts.toArray(String[]::new));
        store.commit();
        assertEquals(texts, store.chunks("long").stream().map(ChunkRecord::text).toList());
    }

    @Test
    void theCatalogueIsOrderedByFileNameThenId() throws IOException {
        for (String[] doc : new String[][]{{"a", "乙.txt"}, {"b", "甲.txt"}, {"c", "乙.txt"}, {"d", "Readme.md"}}) {
            store.stageReplace(record(doc[0], "", doc[1], 0L), TestIndexes.chunks(List.of("一段。")));
        }
        store.commit();
        assertEquals(List.of("d", "a", "c", "b"), store.documents().stream().map(DocumentRecord::docId).toList(),
                "Readme.md, 乙.txt (a, then c), 甲.txt: by the names' characters, then by id");
    }

    @Test
    void aDocumentBeingCommittedTakesNoVectorsOfItsOldVersion() throws IOException {
        TestIndexes.put(store, "a", "", "河流", "长江。");
        DocumentRecord old = store.document("a").orElseThrow();
        List<ChunkRecord> oldChunks = store.chunks("a");
        stage(store, "a", "", "河流", "黄河。");
        List<List<String>> withoutVectors = new ArrayList<>();
        boolean[] oldVectorsTaken = {true};
        store.commit(() -> {
            withoutVectors.add(store.documentsWithoutVectors(SPACE).stream().map(DocumentRecord::docId).toList());
            oldVectorsTaken[0] = store.stageVectors(old, oldChunks, SPACE, List.of(unit(0)));
        });
        assertEquals(List.of(List.of()), withoutVectors, "a document under commit is not yet due for vectors");
        assertFalse(oldVectorsTaken[0], "vectors of the version being replaced would overwrite the new one");
        assertFalse(store.hasStagedChanges());
        assertEquals(List.of("黄河。"), store.chunks("a").stream().map(ChunkRecord::text).toList());
        assertEquals(List.of("a"), store.documentsWithoutVectors(SPACE).stream().map(DocumentRecord::docId)
                .toList(), "due once its commit returned");
    }

    @Test
    void chunksAndVectorsThatDoNotFitTheDocumentAreRefused() throws IOException {
        List<String> texts = List.of("长江。", "黄河。");
        DocumentRecord twoChunks = TestIndexes.record("a", "", "河流", texts, "sha-a");
        assertThrows(IllegalArgumentException.class,
                () -> store.stageReplace(twoChunks, TestIndexes.chunks(List.of("长江。"))));
        assertFalse(store.hasStagedChanges());
        store.stageReplace(twoChunks, TestIndexes.chunks(texts));
        store.commit();
        List<ChunkRecord> chunks = store.chunks("a");
        assertThrows(IllegalArgumentException.class,
                () -> store.stageVectors(twoChunks, chunks, SPACE, List.of(unit(0))), "one vector for two chunks");
        assertThrows(IllegalArgumentException.class,
                () -> store.stageVectors(twoChunks, chunks, SPACE, List.of(unit(0), new float[3])), "3 dimensions");
        assertFalse(store.hasStagedChanges());
        assertTrue(store.vectorSpace("a").isEmpty());
    }

    /** A one-chunk document of {@code collection} ingested at {@code ingestedAtMillis}. */
    private static DocumentRecord record(String docId, String collection, long ingestedAtMillis) {
        return record(docId, collection, docId + ".txt", ingestedAtMillis);
    }

    /** A one-chunk document of {@code collection} named {@code fileName}, ingested at {@code ingestedAtMillis}. */
    private static DocumentRecord record(String docId, String collection, String fileName, long ingestedAtMillis) {
        DocumentRecord r = TestIndexes.record(docId, collection, docId, List.of("一段。"), "sha-" + docId);
        return new DocumentRecord(r.docId(), r.collection(), fileName, r.title(), r.format(), r.sha256(),
                r.sizeBytes(), r.charCount(), r.chunkCount(), r.pageCount(), r.originalPath(), ingestedAtMillis);
    }

    private ChunkSearcher searcher() {
        return new ChunkSearcher(store);
    }

    private List<SearchHit> search(String question) throws IOException {
        return searcher().search(SearchRequest.of(question, 10));
    }

    /** The unit vector along axis {@code i} of {@link #SPACE}. */
    protected static float[] unit(int i) {
        float[] v = new float[SPACE.dimension()];
        v[i] = 1;
        return v;
    }
}
