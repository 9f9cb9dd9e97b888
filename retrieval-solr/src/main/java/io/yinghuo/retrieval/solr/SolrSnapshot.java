package io.yinghuo.retrieval.solr;

import io.yinghuo.retrieval.index.ChunkScore;
import io.yinghuo.retrieval.index.IndexFields;
import io.yinghuo.retrieval.index.IndexedChunk;
import io.yinghuo.retrieval.index.SearchScope;
import io.yinghuo.retrieval.index.SearchSnapshot;
import io.yinghuo.retrieval.index.WeightedTerm;
import io.yinghuo.retrieval.vectors.VectorSpace;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.util.ClientUtils;
import org.apache.solr.common.SolrDocument;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A search on the Solr collection. Each request reads what is committed at that moment on the replica it reaches
 * (Solr has no snapshot across requests); keys are Solr ids ({@code docId!c<n>}), stable across commits. The stored
 * fields of ranked chunks come with the ranking, and the vectors the fusion needs are fetched in one request.
 */
final class SolrSnapshot implements SearchSnapshot {

    private final SolrAccess solr;
    /** Chunks returned by this snapshot's rankings, by id. */
    private final Map<String, SolrDocument> seen = new HashMap<>();
    /** Vectors already fetched: id → space label and vector (absent value: no vector). */
    private final Map<String, SolrDocument> vectors = new HashMap<>();

    SolrSnapshot(SolrAccess solr) {
        this.solr = solr;
    }

    @Override
    public List<ChunkScore> lexical(List<WeightedTerm> terms, SearchScope scope, int n) throws IOException {
        StringBuilder q = new StringBuilder();
        for (WeightedTerm term : terms) {
            if (q.length() > 0) {
                q.append(' ');
            }
            // The fields' query analyzer is a keyword tokenizer: the term arrives as analyzed by the application.
            q.append(term.field()).append(':').append(ClientUtils.escapeQueryChars(term.term()));
            if (term.boost() != 1f) {
                q.append('^').append(term.boost());
            }
        }
        SolrQuery query = scoped(new SolrQuery(q.toString()), scope);
        query.set("q.op", "OR");
        return ranked(query, n, false);
    }

    @Override
    public List<ChunkScore> nearest(VectorSpace space, float[] vector, SearchScope scope, int n, int beam)
            throws IOException {
        StringBuilder v = new StringBuilder("[");
        for (int i = 0; i < vector.length; i++) {
            v.append(i == 0 ? "" : ",").append(vector[i]);
        }
        SolrQuery query = new SolrQuery("{!knn f=" + space.fieldName() + " topK=" + Math.max(n, beam) + "}"
                + v.append(']'));
        query.addFilterQuery(SolrAccess.is(IndexFields.VECTOR_SPACE, space.label())); // a pre-filter of the HNSW search
        return ranked(scoped(query, scope), n, true);
    }

    private static SolrQuery scoped(SolrQuery query, SearchScope scope) {
        query.addFilterQuery(SolrAccess.is(IndexFields.KIND, IndexFields.KIND_CHUNK));
        if (!scope.docIds().isEmpty()) {
            query.addFilterQuery(SolrAccess.anyOf(IndexFields.DOC_ID, scope.docIds()));
        }
        if (!scope.collections().isEmpty()) {
            query.addFilterQuery(SolrAccess.anyOf(IndexFields.COLLECTION, scope.collections()));
        }
        return query;
    }

    private List<ChunkScore> ranked(SolrQuery query, int n, boolean cosine) throws IOException {
        query.setRows(n);
        query.setFields(SolrRecords.CHUNK_FIELDS, "score");
        List<ChunkScore> scores = new ArrayList<>();
        for (SolrDocument doc : solr.query(query).getResults()) {
            String id = (String) doc.getFirstValue(SolrRecords.ID);
            seen.put(id, doc);
            float score = ((Number) doc.getFirstValue("score")).floatValue();
            // Solr scores dot_product on unit vectors as (1 + cos) / 2, as Lucene does
            scores.add(new ChunkScore(id, cosine ? 2 * score - 1 : score));
        }
        return scores;
    }

    @Override
    public float[] vector(String key, VectorSpace space) throws IOException {
        if (!vectors.containsKey(key)) {
            List<String> missing = new ArrayList<>();
            for (String id : seen.keySet()) {
                if (!vectors.containsKey(id)) {
                    missing.add(id);
                }
            }
            if (!missing.contains(key)) {
                missing.add(key);
            }
            SolrQuery query = new SolrQuery(SolrAccess.anyOf(SolrRecords.ID, missing));
            query.setRows(missing.size());
            query.setFields(SolrRecords.ID, IndexFields.VECTOR_SPACE, space.fieldName());
            for (String id : missing) {
                vectors.put(id, null);
            }
            for (SolrDocument doc : solr.query(query).getResults()) {
                vectors.put((String) doc.getFirstValue(SolrRecords.ID), doc);
            }
        }
        SolrDocument doc = vectors.get(key);
        if (doc == null || !space.label().equals(doc.getFirstValue(IndexFields.VECTOR_SPACE))) {
            return null;
        }
        return SolrRecords.vector(doc, space.fieldName());
    }

    @Override
    public List<IndexedChunk> chunks(List<String> keys) throws IOException {
        List<String> missing = keys.stream().filter(k -> !seen.containsKey(k)).toList();
        if (!missing.isEmpty()) {
            SolrQuery query = new SolrQuery(SolrAccess.anyOf(SolrRecords.ID, missing));
            query.setRows(missing.size());
            query.setFields(SolrRecords.CHUNK_FIELDS);
            for (SolrDocument doc : solr.query(query).getResults()) {
                seen.put((String) doc.getFirstValue(SolrRecords.ID), doc);
            }
        }
        List<IndexedChunk> chunks = new ArrayList<>(keys.size());
        for (String key : keys) {
            SolrDocument doc = seen.get(key);
            if (doc == null) {
                throw new IOException("the chunk " + key + " is gone from " + solr.location().display());
            }
            chunks.add(SolrRecords.indexedChunk(doc));
        }
        return chunks;
    }

    @Override
    public long documentCount(String field) throws IOException {
        return count(new SolrQuery(field + ":[* TO *]"));
    }

    @Override
    public long documentFrequency(String field, String term) throws IOException {
        return count(new SolrQuery("{!term f=" + field + "}" + term));
    }

    /**
     * One request for all terms: a facet query per term (the {@code term} parser, the value passed by parameter
     * reference so that no character of a term needs escaping), counted over the chunks.
     */
    @Override
    public long[] documentFrequencies(String field, List<String> terms) throws IOException {
        long[] frequencies = new long[terms.size()];
        if (terms.isEmpty()) {
            return frequencies;
        }
        SolrQuery query = new SolrQuery("*:*");
        query.addFilterQuery(SolrAccess.is(IndexFields.KIND, IndexFields.KIND_CHUNK));
        query.setRows(0);
        query.setFacet(true);
        for (int i = 0; i < terms.size(); i++) {
            query.addFacetQuery("{!term f=" + field + " key=df" + i + " v=$df" + i + "}");
            query.set("df" + i, terms.get(i));
        }
        Map<String, Integer> counts = solr.query(query).getFacetQuery();
        for (int i = 0; i < frequencies.length; i++) {
            frequencies[i] = counts.getOrDefault("df" + i, 0);
        }
        return frequencies;
    }

    private long count(SolrQuery query) throws IOException {
        query.addFilterQuery(SolrAccess.is(IndexFields.KIND, IndexFields.KIND_CHUNK));
        query.setRows(0);
        return solr.query(query).getResults().getNumFound();
    }

    @Override
    public void close() {
        seen.clear();
        vectors.clear();
    }
}
