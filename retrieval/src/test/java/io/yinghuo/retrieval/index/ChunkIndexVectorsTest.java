package io.yinghuo.retrieval.index;

import io.yinghuo.retrieval.TestIndexes;
import io.yinghuo.retrieval.vectors.ConceptEmbeddingModel;
import io.yinghuo.retrieval.vectors.Embedder;
import io.yinghuo.retrieval.vectors.VectorSpace;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ReferenceManager;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChunkIndexVectorsTest {

    private static final Embedder EMBEDDER = Embedder.of(new ConceptEmbeddingModel());
    private static final VectorSpace SPACE = EMBEDDER.space();
    /** Same dimension (so the same Lucene field), another model. */
    private static final VectorSpace OTHER = new VectorSpace("other-model", SPACE.dimension());

    @TempDir
    Path dir;

    @Test
    void spaceIsTheModelsNameAndDimension() {
        assertEquals(new VectorSpace(ConceptEmbeddingModel.DEFAULT_NAME, ConceptEmbeddingModel.DEFAULT_DIMENSION),
                SPACE);
        assertEquals("vector_64", SPACE.fieldName());
        assertEquals(SPACE.fieldName(), OTHER.fieldName());
    }

    @Test
    void committedVectorsRecordTheSpaceAndSurviveReopening() throws IOException {
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            TestIndexes.put(index, "a", "", "河流", "长江是中国第一长河。", "黄河是中国第二长河。");
            TestIndexes.put(index, "b", "", "汽车", "轿车需要定期保养。");
            assertEquals(List.of("a", "b"), ids(index.documentsWithoutVectors(SPACE)));
            assertEquals(Optional.empty(), index.vectorSpace("a"));

            assertTrue(embed(index, "a", SPACE));
            // Staged only: not visible, but no longer offered to a backfill either.
            assertTrue(index.hasStagedChanges());
            assertEquals(Optional.empty(), index.vectorSpace("a"));
            assertEquals(List.of("b"), ids(index.documentsWithoutVectors(SPACE)));
            assertEquals(0, vectorCount(index));

            assertEquals(List.of("a"), index.commit());
            assertFalse(index.hasStagedChanges());
            assertEquals(Optional.of(SPACE), index.vectorSpace("a"));
            assertEquals(Optional.empty(), index.vectorSpace("b"));
            assertEquals(List.of("b"), ids(index.documentsWithoutVectors(SPACE)));
            assertEquals(List.of("a", "b"), ids(index.documentsWithoutVectors(OTHER)));
            assertEquals(2, vectorCount(index));
            assertEquals(List.of("a#0", "a#1"), sorted(nearest(index, SPACE, "长江")));
            // The document itself is unchanged: same catalogue entry, same chunks.
            assertEquals(TestIndexes.record("a", "", "河流", List.of("长江是中国第一长河。", "黄河是中国第二长河。"),
                    index.document("a").orElseThrow().sha256()), index.document("a").orElseThrow());
            assertEquals(List.of("长江是中国第一长河。", "黄河是中国第二长河。"), texts(index.chunks("a")));
            assertEquals(3, index.chunkCount());
        }
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            assertEquals(Optional.of(SPACE), index.vectorSpace("a"));
            assertEquals(Optional.empty(), index.vectorSpace("b"));
            assertEquals(List.of("b"), ids(index.documentsWithoutVectors(SPACE)));
            assertEquals(List.of("a", "b"), ids(index.documentsWithoutVectors(OTHER)));
            assertEquals(List.of("a#0", "a#1"), sorted(nearest(index, SPACE, "黄河")));
        }
        try (ChunkIndex reader = ChunkIndex.openReadOnly(dir)) {
            assertEquals(Optional.of(SPACE), reader.vectorSpace("a"));
            assertEquals(List.of("b"), ids(reader.documentsWithoutVectors(SPACE)));
        }
    }

    @Test
    void reingestedDocumentLosesItsVectorsAndIsListedAgain() throws IOException {
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            TestIndexes.put(index, "a", "", "河流", "长江是中国第一长河。");
            TestIndexes.put(index, "b", "", "汽车", "轿车需要定期保养。");
            assertTrue(embed(index, "a", SPACE));
            assertTrue(embed(index, "b", SPACE));
            index.commit();
            assertEquals(List.of(), index.documentsWithoutVectors(SPACE));

            TestIndexes.put(index, "a", "", "河流", "长江流经十一个省份。", "长江的源头在青海。");
            assertEquals(Optional.empty(), index.vectorSpace("a"));
            assertEquals(List.of("a"), ids(index.documentsWithoutVectors(SPACE)));
            assertEquals(List.of("b#0"), nearest(index, SPACE, "长江"), "the new version has no vectors");
            assertEquals(1, vectorCount(index));

            // Vectors staged first and a new version staged after them, in one commit: the new version wins.
            assertTrue(embed(index, "b", SPACE));
            List<String> v2 = List.of("车辆在高速公路行驶。");
            index.stageReplace(TestIndexes.record("b", "", "汽车", v2, "b-v2"), TestIndexes.chunks(v2));
            index.commit();
            assertEquals(Optional.empty(), index.vectorSpace("b"));
            assertEquals("b-v2", index.document("b").orElseThrow().sha256());
            assertEquals(List.of("a", "b"), ids(index.documentsWithoutVectors(SPACE)));
            assertEquals(0, vectorCount(index));
        }
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            assertEquals(Optional.empty(), index.vectorSpace("b"));
            assertEquals(List.of("a", "b"), ids(index.documentsWithoutVectors(SPACE)));
        }
    }

    @Test
    void vectorsOfAVersionNoLongerCurrentAreRefused() throws IOException {
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            TestIndexes.put(index, "a", "", "河流", "长江是中国第一长河。", "黄河是中国第二长河。");
            DocumentRecord v1 = index.document("a").orElseThrow();
            List<ChunkRecord> v1Chunks = index.chunks("a");
            List<float[]> v1Vectors = vectors(v1, v1Chunks);

            // A newer version staged, not committed: neither the old nor the new one may get vectors yet.
            List<String> texts = List.of("长江流经十一个省份。", "长江的源头在青海。");
            DocumentRecord v2 = TestIndexes.record("a", "", "河流", texts, "v2");
            List<ChunkRecord> v2Chunks = TestIndexes.chunks(texts);
            index.stageReplace(v2, v2Chunks);
            assertFalse(index.stageVectors(v1, v1Chunks, SPACE, v1Vectors));
            assertFalse(index.stageVectors(v2, v2Chunks, SPACE, vectors(v2, v2Chunks)));
            assertEquals(List.of("a"), index.commit(), "only the replacement was staged");
            assertEquals(Optional.empty(), index.vectorSpace("a"));
            assertEquals(texts, texts(index.chunks("a")));

            // The newer version committed: the old one is refused, nothing is staged.
            assertFalse(index.stageVectors(v1, v1Chunks, SPACE, v1Vectors));
            assertFalse(index.hasStagedChanges());
            assertEquals(texts, texts(index.chunks("a")));

            // Vectors of the current version are staged once; a second try before the commit is refused.
            assertTrue(index.stageVectors(v2, v2Chunks, SPACE, vectors(v2, v2Chunks)));
            assertFalse(index.stageVectors(v2, v2Chunks, SPACE, vectors(v2, v2Chunks)));
            assertEquals(List.of("a"), index.commit());
            assertEquals(Optional.of(SPACE), index.vectorSpace("a"));

            // Deleted, staged and then committed: refused both times, and the document does not come back.
            index.stageDelete("a");
            assertFalse(index.stageVectors(v2, v2Chunks, OTHER, vectors(v2, v2Chunks)));
            index.commit();
            assertFalse(index.stageVectors(v2, v2Chunks, SPACE, vectors(v2, v2Chunks)));
            assertFalse(index.hasStagedChanges());
            index.commit();
            assertTrue(index.document("a").isEmpty());
            assertEquals(Optional.empty(), index.vectorSpace("a"));
            assertEquals(0, index.chunkCount());
            assertEquals(0, vectorCount(index));

            // A document that was never there.
            assertFalse(index.stageVectors(v1, v1Chunks, SPACE, v1Vectors));
            assertFalse(index.hasStagedChanges());
        }
    }

    /**
     * A backfill reads a document's catalogue entry and then its chunks. If it does so while a commit of a new
     * version is being published, the two reads must not pair the new entry with the old chunks (or the other way
     * round) and get the pair staged: the index would then hold the new entry over the old text.
     */
    @Test
    void aDocumentReadWhileACommitIsPublishedIsNotStagedWithChunksOfAnotherVersion() throws IOException {
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            TestIndexes.put(index, "a", "", "河流", "长江是中国第一长河。", "黄河是中国第二长河。");
            List<String> v2Texts = List.of("长江流经十一个省份。", "长江的源头在青海。");
            index.stageReplace(TestIndexes.record("a", "", "河流", v2Texts, "v2"), TestIndexes.chunks(v2Texts));

            List<DocumentRecord> readDocuments = new ArrayList<>();
            List<List<ChunkRecord>> readChunks = new ArrayList<>();
            ReferenceManager.RefreshListener backfillReads = new ReferenceManager.RefreshListener() {
                @Override
                public void beforeRefresh() throws IOException {
                    read();
                }

                @Override
                public void afterRefresh(boolean didRefresh) throws IOException {
                    read();
                }

                private void read() throws IOException {
                    for (DocumentRecord todo : index.documentsWithoutVectors(SPACE)) {
                        readDocuments.add(todo);
                        readChunks.add(index.chunks(todo.docId()));
                    }
                    // ...and the other way round: chunks first, then the entry.
                    List<ChunkRecord> chunks = index.chunks("a");
                    index.document("a").ifPresent(d -> {
                        readDocuments.add(d);
                        readChunks.add(chunks);
                    });
                }
            };
            index.searcherManager().addListener(backfillReads);
            index.commit();
            index.searcherManager().removeListener(backfillReads);

            for (int i = 0; i < readDocuments.size(); i++) {
                DocumentRecord document = readDocuments.get(i);
                List<ChunkRecord> chunks = readChunks.get(i);
                if (index.stageVectors(document, chunks, SPACE, vectors(document, chunks))) {
                    index.commit();
                }
                assertEquals(v2Texts, texts(index.chunks("a")), "read " + i + ": " + document.sha256() + " with "
                        + texts(chunks));
                assertEquals("v2", index.document("a").orElseThrow().sha256());
            }
        }
    }

    @Test
    void wrongVectorCountOrDimensionIsRejected() throws IOException {
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            TestIndexes.put(index, "a", "", "河流", "长江是中国第一长河。", "黄河是中国第二长河。");
            DocumentRecord a = index.document("a").orElseThrow();
            List<ChunkRecord> chunks = index.chunks("a");
            List<float[]> vectors = vectors(a, chunks);
            assertThrows(IllegalArgumentException.class,
                    () -> index.stageVectors(a, chunks, SPACE, vectors.subList(0, 1)));
            List<float[]> tooMany = new ArrayList<>(vectors);
            tooMany.add(vectors.get(0));
            assertThrows(IllegalArgumentException.class, () -> index.stageVectors(a, chunks, SPACE, tooMany));
            VectorSpace smaller = new VectorSpace(SPACE.modelId(), SPACE.dimension() - 1);
            assertThrows(IllegalArgumentException.class, () -> index.stageVectors(a, chunks, smaller, vectors));
            List<float[]> oneShort = List.of(vectors.get(0), new float[SPACE.dimension() - 1]);
            assertThrows(IllegalArgumentException.class, () -> index.stageVectors(a, chunks, SPACE, oneShort));
            assertFalse(index.hasStagedChanges());
            index.commit();
            assertEquals(Optional.empty(), index.vectorSpace("a"));
            assertEquals(0, vectorCount(index));
        }
    }

    @Test
    void embeddingAgainReplacesTheVectorsInsteadOfAddingChunks() throws IOException {
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            TestIndexes.put(index, "a", "c", "河流", "长江是中国第一长河。", "黄河是中国第二长河。", "珠江流经广州。");
            TestIndexes.put(index, "b", "c", "汽车", "轿车需要定期保养。");
            for (int round = 0; round < 3; round++) {
                assertTrue(embed(index, "a", SPACE), "round " + round);
                index.commit();
                assertEquals(4, index.chunkCount(), "round " + round);
                assertEquals(3, index.chunks("a").size());
                assertEquals(List.of("a", "b"), ids(index.documents()));
                List<String> nearest = nearest(index, SPACE, "长江");
                assertEquals(List.of("a#0", "a#1", "a#2"), sorted(nearest), "each chunk once: " + nearest);
                assertEquals(3, vectorCount(index));
            }
            // Re-embedded with another model of the same dimension: the old space's vectors are gone.
            assertTrue(embed(index, "a", OTHER));
            index.commit();
            assertEquals(Optional.of(OTHER), index.vectorSpace("a"));
            assertEquals(List.of(), nearest(index, SPACE, "长江"));
            assertEquals(List.of("a#0", "a#1", "a#2"), sorted(nearest(index, OTHER, "长江")));
            assertEquals(List.of("a", "b"), ids(index.documentsWithoutVectors(SPACE)));
            assertEquals(List.of("b"), ids(index.documentsWithoutVectors(OTHER)));
            assertEquals(4, index.chunkCount());
            assertEquals(3, vectorCount(index));
        }
    }

    @Test
    void documentsWithoutVectorsAreOldestFirst() throws IOException {
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            for (String[] doc : new String[][] {{"z", "100"}, {"y", "300"}, {"x", "200"}, {"w", "100"}}) {
                List<String> texts = List.of("文件" + doc[0] + "的内容。");
                DocumentRecord r = TestIndexes.record(doc[0], "", doc[0], texts, "sha-" + doc[0]);
                index.stageReplace(new DocumentRecord(r.docId(), r.collection(), r.fileName(), r.title(), r.format(),
                        r.sha256(), r.sizeBytes(), r.charCount(), r.chunkCount(), r.pageCount(), r.originalPath(),
                        Long.parseLong(doc[1])), TestIndexes.chunks(texts));
            }
            index.commit();
            assertEquals(List.of("w", "z", "x", "y"), ids(index.documentsWithoutVectors(SPACE)));
            assertTrue(embed(index, "z", SPACE));
            index.commit();
            assertEquals(List.of("w", "x", "y"), ids(index.documentsWithoutVectors(SPACE)));
        }
    }

    private static boolean embed(ChunkIndex index, String docId, VectorSpace space) throws IOException {
        DocumentRecord document = index.document(docId).orElseThrow();
        List<ChunkRecord> chunks = index.chunks(docId);
        return index.stageVectors(document, chunks, space, vectors(document, chunks));
    }

    private static List<float[]> vectors(DocumentRecord document, List<ChunkRecord> chunks) {
        return EMBEDDER.embedPassages(chunks.stream()
                .map(c -> Embedder.passageText(document.title(), c.headingPath(), c.text())).toList());
    }

    /** "docId#chunkIndex" of every chunk with a vector of {@code space}, nearest first. */
    private static List<String> nearest(ChunkIndex index, VectorSpace space, String query) throws IOException {
        IndexSearcher searcher = index.searcherManager().acquire();
        try {
            TopDocs top = searcher.search(new KnnFloatVectorQuery(space.fieldName(), EMBEDDER.embedQuery(query), 100,
                    new TermQuery(new Term(IndexFields.VECTOR_SPACE, space.label()))), 100);
            List<String> found = new ArrayList<>();
            for (ScoreDoc hit : top.scoreDocs) {
                Document doc = searcher.storedFields().document(hit.doc);
                found.add(doc.get(IndexFields.DOC_ID) + "#"
                        + doc.getField(IndexFields.CHUNK_INDEX).numericValue().intValue());
            }
            assertEquals(found.size(), new HashSet<>(found).size(), "a chunk found twice: " + found);
            return found;
        } finally {
            index.searcherManager().release(searcher);
        }
    }

    /** Committed documents (chunks) that carry a vector in the shared field, whatever their space. */
    private static int vectorCount(ChunkIndex index) throws IOException {
        IndexSearcher searcher = index.searcherManager().acquire();
        try {
            return searcher.count(new FieldExistsQuery(SPACE.fieldName()));
        } finally {
            index.searcherManager().release(searcher);
        }
    }

    private static List<String> ids(List<DocumentRecord> documents) {
        return documents.stream().map(DocumentRecord::docId).toList();
    }

    private static List<String> texts(List<ChunkRecord> chunks) {
        return chunks.stream().map(ChunkRecord::text).toList();
    }

    private static List<String> sorted(List<String> values) {
        return values.stream().sorted().toList();
    }
}
