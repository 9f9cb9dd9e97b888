package io.yinghuo.retrieval.index;

import io.yinghuo.retrieval.TestIndexes;
import io.yinghuo.retrieval.search.ChunkSearcher;
import io.yinghuo.retrieval.search.SearchHit;
import io.yinghuo.retrieval.search.SearchRequest;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.CollectionStatistics;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChunkIndexTest {

    @TempDir
    Path dir;

    @Test
    void stagedChangesAreInvisibleUntilCommitAndLostWithoutIt() throws IOException {
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            List<String> texts = List.of("长江是中国第一长河。", "黄河是中国第二长河。");
            index.stageReplace(TestIndexes.record("a", "", "河流", texts, "s1"), TestIndexes.chunks(texts));
            assertTrue(index.hasStagedChanges());
            assertTrue(index.document("a").isEmpty());
            assertEquals(0, search(index, "长江").size());
            index.commit();
            assertEquals("河流", index.document("a").orElseThrow().title());
            assertEquals(2, index.chunks("a").size());
            assertEquals("a", search(index, "长江").get(0).docId());

            List<String> other = List.of("珠江流经广州。");
            index.stageReplace(TestIndexes.record("b", "", "珠江", other, "s2"), TestIndexes.chunks(other));
        } // closed without committing "b"
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            assertTrue(index.document("a").isPresent());
            assertTrue(index.document("b").isEmpty());
            assertEquals(2, index.chunkCount());
        }
    }

    @Test
    void searchFieldsHaveDenseNormsAndStatisticsOfTheChunksAlone() throws IOException {
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            TestIndexes.put(index, "a", "", "河流", "长江是中国第一长河。", "黄河是中国第二长河。");
            TestIndexes.put(index, "b", "", "珠江", "珠江流经广州。");
            IndexSearcher searcher = index.searcherManager().acquire();
            try {
                for (IndexProfile.SearchField field : IndexProfile.CHINESE_HYBRID.searchFields()) {
                    // Every document, the catalogue entries included, has a norm: dense norms keep merges cheap.
                    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                        NumericDocValues norms = leaf.reader().getNormValues(field.name());
                        int withNorm = 0;
                        while (norms.nextDoc() != DocIdSetIterator.NO_MORE_DOCS) {
                            withNorm++;
                        }
                        assertEquals(leaf.reader().maxDoc(), withNorm, field.name());
                    }
                    // ...but BM25 counts only the three chunks as documents with the field.
                    CollectionStatistics statistics = searcher.collectionStatistics(field.name());
                    assertEquals(3, statistics.docCount(), field.name());
                }
            } finally {
                index.searcherManager().release(searcher);
            }
        }
    }

    @Test
    void replaceSwapsEveryChunkInOneCommit() throws IOException {
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            TestIndexes.put(index, "doc", "", "旧版", "旧版第一段讲苹果。", "旧版第二段讲香蕉。", "旧版第三段讲葡萄。");
            TestIndexes.put(index, "keep", "", "别的", "别的文件讲橙子。");
            List<String> v2 = List.of("新版只讲西瓜。");
            index.stageReplace(TestIndexes.record("doc", "", "新版", v2, "v2"), TestIndexes.chunks(v2));
            // Before the commit the old version is complete and the new one invisible.
            assertEquals(3, index.chunks("doc").size());
            index.commit();
            assertEquals(List.of("新版只讲西瓜。"), index.chunks("doc").stream().map(ChunkRecord::text).toList());
            assertEquals("v2", index.document("doc").orElseThrow().sha256());
            assertEquals(0, search(index, "香蕉").size());
            assertEquals(1, search(index, "西瓜").size());
            assertEquals(2, index.chunkCount());
            assertEquals(List.of("doc", "keep"), index.documents().stream().map(DocumentRecord::docId).toList());
        }
    }

    @Test
    void deleteRemovesChunksAndCatalogueEntry() throws IOException {
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            TestIndexes.put(index, "gone", "", "删除", "这份文件将被删除。", "第二段也会消失。");
            TestIndexes.put(index, "stays", "", "保留", "这份文件保留下来。");
            assertTrue(index.documentBySha256(index.document("gone").orElseThrow().sha256()).isPresent());
            index.stageDelete("gone");
            index.commit();
            assertTrue(index.document("gone").isEmpty());
            assertTrue(index.chunks("gone").isEmpty());
            assertEquals(1, index.chunkCount());
            assertTrue(index.documentBySha256("sha-gone").isEmpty());
        }
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            assertEquals(List.of("stays"), index.documents().stream().map(DocumentRecord::docId).toList());
        }
    }

    @Test
    void profileIsCheckedAndReadOnlyOpenFindsIt() throws IOException {
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CJK_BIGRAM_BASELINE)) {
            TestIndexes.put(index, "x", "", "标题", "基线索引的内容。");
            IllegalArgumentException locked = assertThrows(IllegalArgumentException.class,
                    () -> ChunkIndex.open(dir, IndexProfile.CJK_BIGRAM_BASELINE));
            assertTrue(locked.getMessage().contains("in use"), locked.getMessage());
            try (ChunkIndex reader = ChunkIndex.openReadOnly(dir)) {
                assertTrue(reader.readOnly());
                assertEquals(IndexProfile.CJK_BIGRAM_BASELINE, reader.profile());
                assertEquals(1, search(reader, "基线").size());
                assertThrows(IllegalStateException.class, () -> reader.stageDelete("x"));
            }
        }
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID));
        assertTrue(wrong.getMessage().contains("cjk-bigram-baseline"), wrong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ChunkIndex.openReadOnly(dir.resolve("missing")));
    }

    @Test
    void chunkCountMustMatchTheRecord() throws IOException {
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            List<String> texts = List.of("一段。", "两段。");
            DocumentRecord wrong = TestIndexes.record("d", "", "t", List.of("一段。"), "s");
            assertThrows(IllegalArgumentException.class, () -> index.stageReplace(wrong, TestIndexes.chunks(texts)));
            assertFalse(index.hasStagedChanges());
        }
    }

    @Test
    void newIndexesWriteNoPositionsAndSchemaOneIndexesKeepTheirs() throws IOException {
        Path current = dir.resolve("current");
        Path old = dir.resolve("old");
        try (ChunkIndex index = ChunkIndex.open(current, IndexProfile.CHINESE_HYBRID)) {
            TestIndexes.put(index, "a", "", "河流", "长江是中国第一长河。");
        }
        try (ChunkIndex index = ChunkIndex.open(old, IndexProfile.CHINESE_HYBRID, IndexSchema.V1)) {
            TestIndexes.put(index, "a", "", "河流", "长江是中国第一长河。");
        }
        // Reopened with today's default, the old index stays schema 1: adding to it must not change field options.
        try (ChunkIndex index = ChunkIndex.open(old, IndexProfile.CHINESE_HYBRID)) {
            TestIndexes.put(index, "b", "", "黄河", "黄河是中国第二长河。");
            assertEquals("b", search(index, "黄河").get(0).docId());
        }
        assertEquals(IndexOptions.DOCS_AND_FREQS, searchFieldOptions(current));
        assertEquals(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS, searchFieldOptions(old));
        assertEquals("2", commitData(current).get(IndexFields.COMMIT_SCHEMA));
        assertEquals("1", commitData(old).get(IndexFields.COMMIT_SCHEMA));
    }

    @Test
    void distinctTermsWithCountsScoreExactlyAsTokenByToken() throws IOException {
        // Schema 2 hands Lucene each distinct term of a chunk once with its count; schema 1 every token in turn.
        String[][] chunks = {
            {"长江", "长江是中国第一长河，长江流经十一个省份。长江的源头在青海。"},
            {"黄河", "黄河是中国第二长河。黄河流域是中华文明的发源地之一，黄河 黄河 river River RIVERS。"},
            {"珠江", "珠江流经广州。Guangzhou 的珠江夜景很有名，1990年以后珠江两岸变化很大。"},
        };
        Path v1 = dir.resolve("v1");
        Path v2 = dir.resolve("v2");
        for (Path path : List.of(v1, v2)) {
            try (ChunkIndex index = ChunkIndex.open(path, IndexProfile.CHINESE_HYBRID,
                    path == v1 ? IndexSchema.V1 : IndexSchema.V2)) {
                for (String[] chunk : chunks) {
                    TestIndexes.put(index, chunk[0], "", chunk[0], chunk[1], chunk[1] + "又一段。");
                }
            }
        }
        try (ChunkIndex one = ChunkIndex.open(v1, IndexProfile.CHINESE_HYBRID);
             ChunkIndex two = ChunkIndex.open(v2, IndexProfile.CHINESE_HYBRID)) {
            for (String query : List.of("长江", "黄河流域", "中国第二长河", "river", "珠江 1990年", "文明的发源地")) {
                List<SearchHit> expected = search(one, query);
                List<SearchHit> actual = search(two, query);
                assertFalse(expected.isEmpty(), query);
                assertEquals(expected.size(), actual.size(), query);
                for (int i = 0; i < expected.size(); i++) {
                    assertEquals(expected.get(i).docId(), actual.get(i).docId(), query);
                    assertEquals(expected.get(i).chunkIndex(), actual.get(i).chunkIndex(), query);
                    assertEquals(expected.get(i).score(), actual.get(i).score(), 0.0, query);
                }
            }
        }
    }

    @Test
    void beforePublishRunsBetweenPrepareAndPublishAndItsFailureIsReported() throws IOException {
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            List<String> texts = List.of("长江是中国第一长河。");
            index.stageReplace(TestIndexes.record("a", "", "河流", texts, "s1"), TestIndexes.chunks(texts));
            List<Boolean> visibleDuringHook = new ArrayList<>();
            assertEquals(List.of("a"), index.commit(() -> visibleDuringHook.add(index.document("a").isPresent())));
            assertEquals(List.of(false), visibleDuringHook, "not published while the hook runs");
            assertTrue(index.document("a").isPresent());

            List<String> other = List.of("珠江流经广州。");
            index.stageReplace(TestIndexes.record("b", "", "珠江", other, "s2"), TestIndexes.chunks(other));
            IOException e = assertThrows(IOException.class, () -> index.commit(() -> {
                throw new IOException("disk full");
            }));
            assertEquals("disk full", e.getMessage());
            assertTrue(index.document("b").isPresent(), "a prepared commit is still published");
        }
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            assertEquals(2, index.documents().size());
        }
    }

    @Test
    void anIndexFromANewerSchemaIsRefusedWithAMessage() throws IOException {
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            TestIndexes.put(index, "a", "", "河流", "长江是中国第一长河。");
        }
        try (FSDirectory directory = FSDirectory.open(dir);
             IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
            writer.setLiveCommitData(Map.of(IndexFields.COMMIT_PROFILE, IndexProfile.CHINESE_HYBRID.label(),
                    IndexFields.COMMIT_SCHEMA, "99").entrySet());
            writer.commit();
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID));
        assertTrue(e.getMessage().contains("schema 99"), e.getMessage());
    }

    private static IndexOptions searchFieldOptions(Path path) throws IOException {
        try (FSDirectory directory = FSDirectory.open(path); DirectoryReader reader = DirectoryReader.open(directory)) {
            IndexOptions words = FieldInfos.getMergedFieldInfos(reader).fieldInfo(IndexFields.WORDS).getIndexOptions();
            assertEquals(words,
                    FieldInfos.getMergedFieldInfos(reader).fieldInfo(IndexFields.BIGRAMS).getIndexOptions());
            return words;
        }
    }

    private static Map<String, String> commitData(Path path) throws IOException {
        try (FSDirectory directory = FSDirectory.open(path); DirectoryReader reader = DirectoryReader.open(directory)) {
            return reader.getIndexCommit().getUserData();
        }
    }

    @Test
    void stagingGoesOnDuringCommitsAndEveryChangeReachesTheCatalogueWithItsCommit() throws Exception {
        int threads = 4;
        int perThread = 50;
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> stagers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                stagers.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String id = "d" + thread + "-" + i;
                        List<String> texts = List.of("第" + i + "段讲长江。", "第" + i + "段讲黄河。");
                        index.stageReplace(TestIndexes.record(id, "", "文" + id, texts, "sha-" + id),
                                TestIndexes.chunks(texts));
                    }
                    return null;
                }));
            }
            Set<String> committed = new HashSet<>();
            while (!stagers.stream().allMatch(Future::isDone)) {
                for (String id : index.commit()) {
                    assertTrue(committed.add(id), id + " reported committed twice");
                    assertTrue(index.document(id).isPresent(), id + " committed but not in the catalogue");
                }
                // Whatever searches see is committed and catalogued.
                for (SearchHit hit : search(index, "长江")) {
                    assertTrue(index.document(hit.docId()).isPresent(), hit.docId());
                }
            }
            for (Future<?> stager : stagers) {
                stager.get();
            }
            pool.shutdown();
            committed.addAll(index.commit());
            assertFalse(index.hasStagedChanges());
            assertEquals(threads * perThread, committed.size());
            assertEquals(threads * perThread, index.documents().size());
            assertEquals(2 * threads * perThread, index.chunkCount());
        }
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            assertEquals(threads * perThread, index.documents().size());
        }
    }

    private static List<SearchHit> search(ChunkIndex index, String query) throws IOException {
        return new ChunkSearcher(index).search(SearchRequest.of(query, 10));
    }
}
