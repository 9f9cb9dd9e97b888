package io.yinghuo.retrieval.search;

import io.yinghuo.retrieval.index.ChunkScore;
import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.index.IndexProfile;
import io.yinghuo.retrieval.index.IndexedChunk;
import io.yinghuo.retrieval.index.SearchScope;
import io.yinghuo.retrieval.index.SearchSnapshot;
import io.yinghuo.retrieval.vectors.Embedder;
import io.yinghuo.retrieval.vectors.ForegroundGate;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.util.VectorUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Searches the chunks of a {@link ChunkStore}: BM25 over every search field of the index profile, the question's
 * terms OR-ed together, with document/collection filters, highlights and snippets. Thread-safe; each search runs on
 * the latest committed state (see {@link ChunkStore#snapshot}) and is not blocked by ingestion.
 *
 * <p>With an {@link Embedder} the search is hybrid: the question is also embedded and the nearest chunk vectors of
 * the embedder's space are found (HNSW in the index), and the two rankings are fused by a convex combination of
 * their normalized scores ({@link ScoreFusion}). Chunks whose document has no vectors yet are ranked by keywords
 * alone and say so ({@link SearchHit#retrieval}). Without one, every hit is lexical and scored the same 0..1 way.
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

    private final ChunkStore index;
    private final IndexProfile profile;
    private final Map<String, Analyzer> analyzers = new HashMap<>();
    private final Embedder embedder;
    private volatile boolean embedderFailed;
    private static final Logger LOG = LoggerFactory.getLogger(ChunkSearcher.class);

    /** Keyword search only. */
    public ChunkSearcher(ChunkStore index) {
        this(index, null);
    }

    /** Hybrid search with {@code embedder}'s vectors; null for keyword search only. */
    public ChunkSearcher(ChunkStore index, Embedder embedder) {
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
        try (SearchSnapshot snapshot = index.snapshot()) {
            QueryTerms allTerms = QueryTerms.analyze(profile, analyzers, request.query());
            if (allTerms.isEmpty() && (embedder == null || request.query().codePoints()
                    .noneMatch(Character::isLetterOrDigit))) {
                return List.of(); // nothing to look for: punctuation, spaces
            }
            SearchScope scope = new SearchScope(request.docIds(), request.collections());
            List<ScoredChunk> ranked;
            List<float[]> partVectors = queryVectors(parts); // one model call for all parts
            if (parts.size() == 1) {
                ranked = rankPart(snapshot, scope, allTerms, partVectors.get(0), request);
            } else {
                List<List<ScoredChunk>> perPart = new ArrayList<>();
                for (int p = 0; p < parts.size(); p++) {
                    QueryTerms partTerms = QueryTerms.analyze(profile, analyzers, parts.get(p));
                    if (!partTerms.isEmpty() || partVectors.get(p) != null) {
                        perPart.add(rankPart(snapshot, scope, partTerms, partVectors.get(p), request));
                    }
                }
                ranked = interleave(perPart, request.maxResults());
            }
            Highlighter highlighter = request.snippets() ? new Highlighter(profile, analyzers, allTerms) : null;
            List<IndexedChunk> chunks = snapshot.chunks(ranked.stream().map(ScoredChunk::key).toList());
            List<SearchHit> hits = new ArrayList<>(ranked.size());
            for (int i = 0; i < ranked.size(); i++) {
                SearchHit hit = toHit(chunks.get(i), ranked.get(i));
                hits.add(highlighter == null ? hit : highlighter.mark(hit));
            }
            return hits;
        }
    }

    /** A ranked chunk: its key in the snapshot, fused score, and its vector similarity (NaN when it has none). */
    private record ScoredChunk(String key, float score, float similarity) {
    }

    /** One question (or part) ranked by keywords, and by meaning when hybrid; at most maxResults, above minScore. */
    private List<ScoredChunk> rankPart(SearchSnapshot snapshot, SearchScope scope, QueryTerms terms,
                                       float[] queryVector, SearchRequest request) throws IOException {
        int candidates = Math.max(MIN_CANDIDATES, request.maxResults());
        List<ChunkScore> lexical = terms.isEmpty() ? List.of()
                : snapshot.lexical(terms.weighted(), scope, candidates);
        List<ChunkScore> dense = queryVector == null ? List.of()
                : snapshot.nearest(embedder.space(), queryVector, scope, candidates, KNN_BEAM);
        // Keyword results first, then the other vector results: the fusion keeps this order among equal scores.
        Map<String, Float> bm25 = new LinkedHashMap<>();
        for (ChunkScore chunk : lexical) {
            bm25.put(chunk.key(), chunk.score());
        }
        LinkedHashSet<String> keys = new LinkedHashSet<>(bm25.keySet());
        Map<String, Float> cosine = new HashMap<>();
        for (ChunkScore chunk : dense) {
            keys.add(chunk.key());
            cosine.put(chunk.key(), chunk.score());
        }
        List<ScoreFusion.Candidate> all = new ArrayList<>(keys.size());
        for (String key : keys) {
            // A keyword hit the vector search did not return: its similarity is read from its own vector, if any.
            float[] vector = queryVector == null || cosine.containsKey(key) ? null
                    : snapshot.vector(key, embedder.space());
            if (vector != null) {
                cosine.put(key, VectorUtil.dotProduct(vector, queryVector)); // both unit length
            }
            all.add(new ScoreFusion.Candidate(key, bm25.containsKey(key) ? bm25.get(key) : Double.NaN,
                    cosine.containsKey(key) ? cosine.get(key) : Double.NaN));
        }
        List<ScoredChunk> kept = new ArrayList<>();
        for (ScoreFusion.Fused fused : ScoreFusion.fuse(all)) {
            if (kept.size() == request.maxResults()) {
                break;
            }
            if (fused.score() > 0 && fused.score() >= request.minScore()) { // 0: no shared word, cos <= 0
                Float cos = cosine.get(fused.key());
                kept.add(new ScoredChunk(fused.key(), (float) fused.score(), cos == null ? Float.NaN : (1 + cos) / 2));
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

    private static List<ScoredChunk> interleave(List<List<ScoredChunk>> rankings, int n) {
        Map<String, ScoredChunk> taken = new LinkedHashMap<>();
        int longest = rankings.stream().mapToInt(List::size).max().orElse(0);
        for (int rank = 0; rank < longest && taken.size() < n; rank++) {
            for (List<ScoredChunk> ranking : rankings) {
                if (rank < ranking.size() && taken.size() < n) {
                    taken.putIfAbsent(ranking.get(rank).key(), ranking.get(rank));
                }
            }
        }
        return new ArrayList<>(taken.values());
    }

    private static SearchHit toHit(IndexedChunk indexed, ScoredChunk scored) {
        var chunk = indexed.chunk();
        return new SearchHit(indexed.docId(), indexed.collection(), indexed.fileName(), indexed.title(),
                chunk.index(), chunk.page(), chunk.headingPath(), chunk.start(), chunk.end(), chunk.text(),
                scored.score(), List.of(), null,
                Float.isNaN(scored.similarity()) ? SearchHit.LEXICAL : SearchHit.HYBRID, scored.similarity());
    }

    /** For tests and tools: the document ids of a set of hits, in order, without repeats. */
    public static List<String> documentIds(List<SearchHit> hits) {
        return new ArrayList<>(new LinkedHashSet<>(hits.stream().map(SearchHit::docId).toList()));
    }
}
