package io.yinghuo.ingest.pipeline;

import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.index.ChunkRecord;
import io.yinghuo.retrieval.index.DocumentRecord;
import io.yinghuo.retrieval.index.IndexFields;
import io.yinghuo.retrieval.search.ChunkSearcher;
import io.yinghuo.retrieval.search.SearchHit;
import io.yinghuo.retrieval.search.SearchRequest;
import io.yinghuo.retrieval.vectors.Embedder;
import io.yinghuo.retrieval.vectors.VectorSpace;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads the vectors the index holds, straight from Lucene, and checks them against the test model. */
final class IndexedVectors {

    private IndexedVectors() {
    }

    /** The vectors of {@code space} that the committed chunks of {@code docId} carry, by chunk index. */
    static Map<Integer, float[]> of(ChunkIndex index, String docId, VectorSpace space) throws IOException {
        Query query = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(IndexFields.DOC_ID, docId)), BooleanClause.Occur.FILTER)
                .add(new TermQuery(new Term(IndexFields.KIND, IndexFields.KIND_CHUNK)), BooleanClause.Occur.FILTER)
                .add(new TermQuery(new Term(IndexFields.VECTOR_SPACE, space.label())), BooleanClause.Occur.FILTER)
                .build();
        SearcherManager manager = index.searcherManager();
        IndexSearcher searcher = manager.acquire();
        try {
            Map<Integer, float[]> vectors = new TreeMap<>();
            for (ScoreDoc hit : searcher.search(query, 10_000).scoreDocs) {
                List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
                LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(hit.doc, leaves));
                FloatVectorValues values = leaf.reader().getFloatVectorValues(space.fieldName());
                int target = hit.doc - leaf.docBase;
                assertTrue(values != null && values.advance(target) == target,
                        "a chunk of " + docId + " says " + space + " but has no vector");
                int chunk = searcher.storedFields().document(hit.doc).getField(IndexFields.CHUNK_INDEX).numericValue()
                        .intValue();
                float[] previous = vectors.put(chunk, values.vectorValue().clone());
                assertTrue(previous == null, "chunk " + chunk + " of " + docId + " is indexed twice");
            }
            return vectors;
        } finally {
            manager.release(searcher);
        }
    }

    /** How many committed chunks of {@code docId} carry a vector in the field of {@code space} (any model). */
    static int chunksWithAVector(ChunkIndex index, String docId, VectorSpace space) throws IOException {
        Query query = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(IndexFields.DOC_ID, docId)), BooleanClause.Occur.FILTER)
                .add(new TermQuery(new Term(IndexFields.KIND, IndexFields.KIND_CHUNK)), BooleanClause.Occur.FILTER)
                .add(new FieldExistsQuery(space.fieldName()), BooleanClause.Occur.FILTER)
                .build();
        SearcherManager manager = index.searcherManager();
        IndexSearcher searcher = manager.acquire();
        try {
            return searcher.count(query);
        } finally {
            manager.release(searcher);
        }
    }

    /**
     * Every committed chunk of the document has exactly one vector of {@code space}, and it is the vector
     * {@code model} gives the chunk's current passage text (so it was not computed from another version).
     */
    static void assertEmbeddedBy(ChunkIndex index, DocumentRecord record, VectorSpace space,
                                 BigramEmbeddingModel model, String context) throws IOException {
        assertEquals(Optional.of(space), index.vectorSpace(record.docId()), context + ": space of " + record.docId());
        List<ChunkRecord> chunks = index.chunks(record.docId());
        assertEquals(record.chunkCount(), chunks.size(), context + ": chunks of " + record.docId());
        Map<Integer, float[]> vectors = of(index, record.docId(), space);
        assertEquals(record.chunkCount(), vectors.size(), context + ": vectors of " + record.docId());
        assertEquals(record.chunkCount(), chunksWithAVector(index, record.docId(), space),
                context + ": chunks of " + record.docId() + " with a vector");
        for (ChunkRecord chunk : chunks) {
            float[] expected = model.vectorOf(Embedder.passageText(record.title(), chunk.headingPath(), chunk.text()));
            assertArrayEquals(expected, vectors.get(chunk.index()), 1e-5f,
                    context + ": vector of chunk " + chunk.index() + " of " + record.docId());
        }
    }

    /** No chunk of the document carries a vector (of any model of this dimension). */
    static void assertNoVectors(ChunkIndex index, DocumentRecord record, VectorSpace space, String context)
            throws IOException {
        assertEquals(Optional.empty(), index.vectorSpace(record.docId()), context + ": space of " + record.docId());
        assertEquals(0, chunksWithAVector(index, record.docId(), space),
                context + ": chunks of " + record.docId() + " with a vector");
    }

    /**
     * No chunk is indexed twice: the chunk documents are exactly those the catalogue counts, and a search with a
     * large k never returns the same (document, chunk) twice. Returns the hits.
     */
    static List<SearchHit> assertNoDuplicateChunks(ChunkIndex index, ChunkSearcher searcher, String query,
                                                   String context) throws IOException {
        int total = 0;
        for (DocumentRecord record : index.documents()) {
            total += record.chunkCount();
        }
        assertEquals(total, index.chunkCount(), context + ": chunk documents against the catalogue");
        List<SearchHit> hits = searcher.search(SearchRequest.of(query, 5_000).withSnippets(false));
        Set<String> seen = new HashSet<>();
        for (SearchHit hit : hits) {
            assertTrue(seen.add(hit.docId() + "#" + hit.chunkIndex()),
                    context + ": chunk " + hit.chunkIndex() + " of " + hit.docId() + " returned twice");
        }
        return hits;
    }
}
