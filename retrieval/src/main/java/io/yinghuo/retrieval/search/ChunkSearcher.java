package io.yinghuo.retrieval.search;

import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.index.IndexFields;
import io.yinghuo.retrieval.index.IndexProfile;
import io.yinghuo.retrieval.vectors.Embedder;
import io.yinghuo.retrieval.vectors.ForegroundGate;
import io.yinghuo.retrieval.vectors.VectorSpace;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.VectorUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Searches the chunks of a {@link ChunkIndex}: BM25 over every search field of the index profile, the question's
 * terms OR-ed together, with document/collection filters, highlights and snippets. Thread-safe; each search runs on
 * the latest committed state (see {@link ChunkIndex}) and is not blocked by ingestion.
 *
 * <p>With an {@link Embedder} the search is hybrid: the question is also embedded and the nearest chunk vectors of
 * the embedder's space are found (Lucene HNSW), and the two rankings are fused by reciprocal rank
 * ({@link ScoreFusion}). Chunks whose document has no vectors yet are ranked by keywords alone and say so
 * ({@link SearchHit#retrieval}). Without one, every hit is lexical and scored the same 0..1 way.
 *
 * <p>Compound questions ({@link CompoundQuestionSplitter}) are answered part by part: each part is searched on its
 * own and the parts' rankings are interleaved (best of part 1, best of part 2, second of part 1…, skipping chunks
 * already taken), so every part is represented near the top instead of the part with the rarest words taking every
 * slot.
 */
public final class ChunkSearcher {

    /**
     * Candidates taken from each ranking before fusion. Fusion needs more than the page asked for: a chunk ranked
     * 25th by keywords and 3rd by meaning can belong near the top.
     */
    static final int MIN_CANDIDATES = 40;

    /**
     * Neighbours the HNSW search collects before the best {@link #MIN_CANDIDATES} are taken (Lucene's k, the
     * search-time beam). Measured on the dev questions against exact search: k = 10 finds 0.92 of the true ten
     * nearest, k = 40 0.994, k = 100 0.9998; the wider beam costs about a millisecond.
     */
    static final int KNN_BEAM = 100;

    private final ChunkIndex index;
    private final IndexProfile profile;
    private final Map<String, Analyzer> analyzers = new HashMap<>();
    private final Embedder embedder;
    private volatile boolean embedderFailed;
    private static final Logger LOG = LoggerFactory.getLogger(ChunkSearcher.class);

    /** Keyword search only. */
    public ChunkSearcher(ChunkIndex index) {
        this(index, null);
    }

    /** Hybrid search with {@code embedder}'s vectors; null for keyword search only. */
    public ChunkSearcher(ChunkIndex index, Embedder embedder) {
        this.index = index;
        this.profile = index.profile();
        this.embedder = embedder;
        for (IndexProfile.SearchField field : profile.searchFields()) {
            analyzers.put(field.name(), profile.fieldAnalyzer(field.name()));
        }
    }

    /** The embedder of a hybrid searcher. */
    public Optional<Embedder> embedder() {
        return Optional.ofNullable(embedder);
    }

    /**
     * Marks {@code query}'s terms, as a search for it would, in passages already retrieved (e.g. the evidence of a
     * RAG answer); analyzes the query once.
     */
    public Highlighter highlighter(String query) {
        return new Highlighter(profile, analyzers, QueryTerms.analyze(profile, analyzers, query));
    }

    public List<SearchHit> search(SearchRequest request) throws IOException {
        if (embedder == null) {
            return searchNow(request);
        }
        try (ForegroundGate.Handle turn = embedder.foreground().enter()) {
            return searchNow(request);
        }
    }

    private List<SearchHit> searchNow(SearchRequest request) throws IOException {
        List<String> parts = profile.splitsCompoundQuestions()
                ? CompoundQuestionSplitter.split(request.query()) : List.of(request.query());
        SearcherManager manager = index.searcherManager();
        IndexSearcher searcher = manager.acquire();
        try {
            QueryTerms allTerms = QueryTerms.analyze(profile, analyzers, request.query());
            if (allTerms.isEmpty() && (embedder == null || request.query().codePoints()
                    .noneMatch(Character::isLetterOrDigit))) {
                return List.of(); // nothing to look for: punctuation, spaces
            }
            List<ScoredChunk> ranked;
            List<float[]> partVectors = queryVectors(parts); // one model call for all parts
            if (parts.size() == 1) {
                ranked = rankPart(searcher, allTerms, partVectors.get(0), request);
            } else {
                List<List<ScoredChunk>> perPart = new ArrayList<>();
                for (int p = 0; p < parts.size(); p++) {
                    QueryTerms partTerms = QueryTerms.analyze(profile, analyzers, parts.get(p));
                    if (!partTerms.isEmpty() || partVectors.get(p) != null) {
                        perPart.add(rankPart(searcher, partTerms, partVectors.get(p), request));
                    }
                }
                ranked = interleave(perPart, request.maxResults());
            }
            Highlighter highlighter = request.snippets() ? new Highlighter(profile, analyzers, allTerms) : null;
            List<SearchHit> hits = new ArrayList<>(ranked.size());
            for (ScoredChunk scored : ranked) {
                SearchHit hit = toHit(searcher.storedFields().document(scored.doc()), scored);
                hits.add(highlighter == null ? hit : highlighter.mark(hit));
            }
            return hits;
        } finally {
            manager.release(searcher);
        }
    }

    /** A ranked chunk: Lucene doc id, fused score, and its vector similarity (NaN when it has no vector). */
    private record ScoredChunk(int doc, float score, float similarity) {
    }

    /** One question (or part) ranked by keywords, and by meaning when hybrid; at most maxResults, above minScore. */
    private List<ScoredChunk> rankPart(IndexSearcher searcher, QueryTerms terms, float[] queryVector,
                                       SearchRequest request) throws IOException {
        int candidates = Math.max(MIN_CANDIDATES, request.maxResults());
        TopDocs lexical = terms.isEmpty() ? new TopDocs(null, new ScoreDoc[0])
                : topChunks(searcher, terms, request, candidates);
        TopDocs dense = queryVector == null ? new TopDocs(null, new ScoreDoc[0])
                : nearestChunks(searcher, embedder.space(), queryVector, request, candidates);
        // Keyword results first, then the other vector results: the fusion keeps this order among equal scores.
        Map<Integer, Float> bm25 = new LinkedHashMap<>();
        for (ScoreDoc doc : lexical.scoreDocs) {
            bm25.put(doc.doc, doc.score);
        }
        LinkedHashSet<Integer> docs = new LinkedHashSet<>(bm25.keySet());
        Map<Integer, Float> cosine = new HashMap<>();
        for (ScoreDoc doc : dense.scoreDocs) {
            docs.add(doc.doc);
            cosine.put(doc.doc, 2 * doc.score - 1); // Lucene scores DOT_PRODUCT on unit vectors as (1 + cos) / 2
        }
        List<ScoreFusion.Candidate> all = new ArrayList<>(docs.size());
        for (int doc : docs) {
            // A keyword hit the vector search did not return: its similarity is read from its own vector, if any.
            float[] vector = queryVector == null || cosine.containsKey(doc) ? null
                    : vectorOf(searcher, doc, embedder.space());
            if (vector != null) {
                cosine.put(doc, VectorUtil.dotProduct(vector, queryVector)); // both unit length
            }
            all.add(new ScoreFusion.Candidate(doc, bm25.containsKey(doc) ? bm25.get(doc) : Double.NaN,
                    cosine.containsKey(doc) ? cosine.get(doc) : Double.NaN));
        }
        List<ScoredChunk> kept = new ArrayList<>();
        for (ScoreFusion.Fused fused : ScoreFusion.fuse(all)) {
            if (kept.size() == request.maxResults()) {
                break;
            }
            if (fused.score() > 0 && fused.score() >= request.minScore()) { // 0: no shared word, cos <= 0
                Float cos = cosine.get(fused.doc());
                kept.add(new ScoredChunk(fused.doc(), (float) fused.score(), cos == null ? Float.NaN : (1 + cos) / 2));
            }
        }
        return kept;
    }

    /**
     * The parts' vectors, in order; nulls (keywords only) without an embedder or when the embedding model fails,
     * which is logged once.
     */
    private List<float[]> queryVectors(List<String> parts) {
        if (embedder != null) {
            try {
                return embedder.embedQueries(parts);
            } catch (RuntimeException e) {
                if (!embedderFailed) {
                    embedderFailed = true;
                    LOG.warn("the embedding model {} failed; searching by keywords only: {}", embedder.space(),
                            e.toString());
                }
            }
        }
        return java.util.Arrays.asList(new float[parts.size()][]);
    }

    private TopDocs topChunks(IndexSearcher searcher, QueryTerms terms, SearchRequest request, int n)
            throws IOException {
        BooleanQuery.Builder query = new BooleanQuery.Builder().add(terms.toQuery(), BooleanClause.Occur.MUST);
        return searcher.search(filtered(query, request).build(), n);
    }

    /** The chunks whose vectors (of this space only) are nearest to the question's, within the request's scope. */
    private TopDocs nearestChunks(IndexSearcher searcher, VectorSpace space, float[] queryVector,
                                  SearchRequest request, int n) throws IOException {
        BooleanQuery.Builder scope = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(IndexFields.VECTOR_SPACE, space.label())), BooleanClause.Occur.FILTER);
        return searcher.search(new KnnFloatVectorQuery(space.fieldName(), queryVector, Math.max(n, KNN_BEAM),
                filtered(scope, request).build()), n);
    }

    private static BooleanQuery.Builder filtered(BooleanQuery.Builder query, SearchRequest request) {
        query.add(new TermQuery(new Term(IndexFields.KIND, IndexFields.KIND_CHUNK)), BooleanClause.Occur.FILTER);
        if (!request.docIds().isEmpty()) {
            query.add(termSet(IndexFields.DOC_ID, request.docIds()), BooleanClause.Occur.FILTER);
        }
        if (!request.collections().isEmpty()) {
            query.add(termSet(IndexFields.COLLECTION, request.collections()), BooleanClause.Occur.FILTER);
        }
        return query;
    }

    /** The vector a chunk carries in {@code space}, or null when its document has none (yet) of that space. */
    private float[] vectorOf(IndexSearcher searcher, int doc, VectorSpace space) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        FloatVectorValues values = leaf.reader().getFloatVectorValues(space.fieldName());
        int target = doc - leaf.docBase;
        if (values == null || values.advance(target) != target) {
            return null;
        }
        if (!carriesSpace(leaf, target, space)) {
            return null; // a vector of another model with the same dimension, being replaced
        }
        return values.vectorValue();
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

    private static List<ScoredChunk> interleave(List<List<ScoredChunk>> rankings, int n) {
        Map<Integer, ScoredChunk> taken = new LinkedHashMap<>();
        int longest = rankings.stream().mapToInt(List::size).max().orElse(0);
        for (int rank = 0; rank < longest && taken.size() < n; rank++) {
            for (List<ScoredChunk> ranking : rankings) {
                if (rank < ranking.size() && taken.size() < n) {
                    taken.putIfAbsent(ranking.get(rank).doc(), ranking.get(rank));
                }
            }
        }
        return new ArrayList<>(taken.values());
    }

    private static Query termSet(String field, Collection<String> values) {
        List<BytesRef> terms = new ArrayList<>(values.size());
        for (String value : values) {
            terms.add(new BytesRef(value));
        }
        return new TermInSetQuery(field, terms);
    }

    private static SearchHit toHit(Document doc, ScoredChunk scored) {
        return new SearchHit(doc.get(IndexFields.DOC_ID), doc.get(IndexFields.COLLECTION),
                doc.get(IndexFields.FILE_NAME), doc.get(IndexFields.TITLE),
                doc.getField(IndexFields.CHUNK_INDEX).numericValue().intValue(),
                doc.getField(IndexFields.PAGE).numericValue().intValue(), doc.get(IndexFields.HEADING),
                doc.getField(IndexFields.START).numericValue().intValue(),
                doc.getField(IndexFields.END).numericValue().intValue(), doc.get(IndexFields.TEXT), scored.score(),
                List.of(), null, Float.isNaN(scored.similarity()) ? SearchHit.LEXICAL : SearchHit.HYBRID,
                scored.similarity());
    }

    /** For tests and tools: the document ids of a set of hits, in order, without repeats. */
    public static List<String> documentIds(List<SearchHit> hits) {
        return new ArrayList<>(new LinkedHashSet<>(hits.stream().map(SearchHit::docId).toList()));
    }
}
