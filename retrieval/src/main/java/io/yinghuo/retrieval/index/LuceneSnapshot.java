package io.yinghuo.retrieval.index;

import io.yinghuo.retrieval.vectors.VectorSpace;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** A search snapshot of the embedded index: one searcher, on one commit point; keys are Lucene doc ids. */
final class LuceneSnapshot implements SearchSnapshot {

    private final SearcherManager manager;
    private final IndexSearcher searcher;

    LuceneSnapshot(SearcherManager manager) throws IOException {
        this.manager = manager;
        this.searcher = manager.acquire();
    }

    @Override
    public List<ChunkScore> lexical(List<WeightedTerm> terms, SearchScope scope, int n) throws IOException {
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        for (WeightedTerm term : terms) {
            Query termQuery = new TermQuery(new Term(term.field(), term.term()));
            any.add(term.boost() == 1f ? termQuery : new BoostQuery(termQuery, term.boost()),
                    BooleanClause.Occur.SHOULD);
        }
        BooleanQuery.Builder query = new BooleanQuery.Builder().add(any.build(), BooleanClause.Occur.MUST);
        return scores(searcher.search(filtered(query, scope).build(), n), false);
    }

    @Override
    public List<ChunkScore> nearest(VectorSpace space, float[] vector, SearchScope scope, int n, int beam)
            throws IOException {
        BooleanQuery.Builder filter = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(IndexFields.VECTOR_SPACE, space.label())), BooleanClause.Occur.FILTER);
        return scores(searcher.search(new KnnFloatVectorQuery(space.fieldName(), vector, Math.max(n, beam),
                filtered(filter, scope).build()), n), true);
    }

    private static List<ChunkScore> scores(TopDocs top, boolean cosine) {
        List<ChunkScore> scores = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc doc : top.scoreDocs) {
            // Lucene scores DOT_PRODUCT on unit vectors as (1 + cos) / 2
            scores.add(new ChunkScore(Integer.toString(doc.doc), cosine ? 2 * doc.score - 1 : doc.score));
        }
        return scores;
    }

    private static BooleanQuery.Builder filtered(BooleanQuery.Builder query, SearchScope scope) {
        query.add(new TermQuery(new Term(IndexFields.KIND, IndexFields.KIND_CHUNK)), BooleanClause.Occur.FILTER);
        if (!scope.docIds().isEmpty()) {
            query.add(termSet(IndexFields.DOC_ID, scope.docIds()), BooleanClause.Occur.FILTER);
        }
        if (!scope.collections().isEmpty()) {
            query.add(termSet(IndexFields.COLLECTION, scope.collections()), BooleanClause.Occur.FILTER);
        }
        return query;
    }

    private static Query termSet(String field, Collection<String> values) {
        List<BytesRef> terms = new ArrayList<>(values.size());
        for (String value : values) {
            terms.add(new BytesRef(value));
        }
        return new TermInSetQuery(field, terms);
    }

    @Override
    public float[] vector(String key, VectorSpace space) throws IOException {
        int doc = Integer.parseInt(key);
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        if (!carriesSpace(leaf, doc - leaf.docBase, space)) {
            return null; // none, or a vector of another model with the same dimension, being replaced
        }
        return storedVector(searcher, doc, space);
    }

    /** The vector in {@code space}'s field of a document of {@code searcher}, whatever its label; null if none. */
    static float[] storedVector(IndexSearcher searcher, int doc, VectorSpace space) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        FloatVectorValues values = leaf.reader().getFloatVectorValues(space.fieldName());
        int target = doc - leaf.docBase;
        if (values == null || values.advance(target) != target) {
            return null;
        }
        return values.vectorValue().clone();
    }

    /**
     * Whether the chunk's vector is of {@code space}, read from the same snapshot as the vector (the catalogue's
     * live view may already know a newer model's vectors that this searcher does not see).
     */
    private static boolean carriesSpace(LeafReaderContext leaf, int target, VectorSpace space) throws IOException {
        Terms terms = leaf.reader().terms(IndexFields.VECTOR_SPACE);
        if (terms == null) {
            return false;
        }
        TermsEnum term = terms.iterator();
        if (!term.seekExact(new BytesRef(space.label()))) {
            return false;
        }
        return term.postings(null, PostingsEnum.NONE).advance(target) == target;
    }

    @Override
    public List<IndexedChunk> chunks(List<String> keys) throws IOException {
        List<IndexedChunk> chunks = new ArrayList<>(keys.size());
        for (String key : keys) {
            Document doc = searcher.storedFields().document(Integer.parseInt(key));
            chunks.add(new IndexedChunk(doc.get(IndexFields.DOC_ID), doc.get(IndexFields.COLLECTION),
                    doc.get(IndexFields.FILE_NAME), doc.get(IndexFields.TITLE), StoredChunks.chunk(doc)));
        }
        return chunks;
    }

    @Override
    public long documentCount(String field) throws IOException {
        return searcher.getIndexReader().getDocCount(field);
    }

    @Override
    public long documentFrequency(String field, String term) throws IOException {
        return searcher.getIndexReader().docFreq(new Term(field, term));
    }

    @Override
    public void close() throws IOException {
        manager.release(searcher);
    }
}
