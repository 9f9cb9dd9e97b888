package io.yinghuo.retrieval.search;

import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.index.IndexFields;
import io.yinghuo.retrieval.index.IndexProfile;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Searches the chunks of a {@link ChunkIndex}: BM25 over every search field of the index profile, the question's
 * terms OR-ed together, with document/collection filters, highlights and snippets. Thread-safe; each search runs on
 * the latest committed state (see {@link ChunkIndex}) and is not blocked by ingestion.
 *
 * <p>Compound questions ({@link CompoundQuestionSplitter}) are answered part by part: each part is searched on its
 * own and the parts' rankings are interleaved (best of part 1, best of part 2, second of part 1…, skipping chunks
 * already taken), so every part is represented near the top instead of the part with the rarest words taking every
 * slot.
 */
public final class ChunkSearcher {

    private final ChunkIndex index;
    private final IndexProfile profile;
    private final Map<String, Analyzer> analyzers = new HashMap<>();

    public ChunkSearcher(ChunkIndex index) {
        this.index = index;
        this.profile = index.profile();
        for (IndexProfile.SearchField field : profile.searchFields()) {
            analyzers.put(field.name(), profile.fieldAnalyzer(field.name()));
        }
    }

    /**
     * Marks {@code query}'s terms, as a search for it would, in passages already retrieved (e.g. the evidence of a
     * RAG answer); analyzes the query once.
     */
    public Highlighter highlighter(String query) {
        return new Highlighter(profile, analyzers, QueryTerms.analyze(profile, analyzers, query));
    }

    public List<SearchHit> search(SearchRequest request) throws IOException {
        List<String> parts = profile.splitsCompoundQuestions()
                ? CompoundQuestionSplitter.split(request.query()) : List.of(request.query());
        SearcherManager manager = index.searcherManager();
        IndexSearcher searcher = manager.acquire();
        try {
            QueryTerms allTerms = QueryTerms.analyze(profile, analyzers, request.query());
            if (allTerms.isEmpty()) {
                return List.of();
            }
            List<ScoreDoc> ranked;
            if (parts.size() == 1) {
                ranked = topChunks(searcher, allTerms, request, request.maxResults());
            } else {
                List<List<ScoreDoc>> perPart = new ArrayList<>();
                for (String part : parts) {
                    QueryTerms partTerms = QueryTerms.analyze(profile, analyzers, part);
                    if (!partTerms.isEmpty()) {
                        perPart.add(topChunks(searcher, partTerms, request, request.maxResults()));
                    }
                }
                ranked = interleave(perPart, request.maxResults());
            }
            Highlighter highlighter = request.snippets() ? new Highlighter(profile, analyzers, allTerms) : null;
            List<SearchHit> hits = new ArrayList<>(ranked.size());
            for (ScoreDoc scored : ranked) {
                SearchHit hit = toHit(searcher.storedFields().document(scored.doc), scored.score);
                hits.add(highlighter == null ? hit : highlighter.mark(hit));
            }
            return hits;
        } finally {
            manager.release(searcher);
        }
    }

    private List<ScoreDoc> topChunks(IndexSearcher searcher, QueryTerms terms, SearchRequest request, int n)
            throws IOException {
        BooleanQuery.Builder query = new BooleanQuery.Builder()
                .add(terms.toQuery(), BooleanClause.Occur.MUST)
                .add(new TermQuery(new Term(IndexFields.KIND, IndexFields.KIND_CHUNK)), BooleanClause.Occur.FILTER);
        if (!request.docIds().isEmpty()) {
            query.add(termSet(IndexFields.DOC_ID, request.docIds()), BooleanClause.Occur.FILTER);
        }
        if (!request.collections().isEmpty()) {
            query.add(termSet(IndexFields.COLLECTION, request.collections()), BooleanClause.Occur.FILTER);
        }
        TopDocs top = searcher.search(query.build(), n);
        List<ScoreDoc> kept = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc doc : top.scoreDocs) {
            if (doc.score >= request.minScore()) {
                kept.add(doc);
            }
        }
        return kept;
    }

    private static List<ScoreDoc> interleave(List<List<ScoreDoc>> rankings, int n) {
        Map<Integer, ScoreDoc> taken = new LinkedHashMap<>();
        int longest = rankings.stream().mapToInt(List::size).max().orElse(0);
        for (int rank = 0; rank < longest && taken.size() < n; rank++) {
            for (List<ScoreDoc> ranking : rankings) {
                if (rank < ranking.size() && taken.size() < n) {
                    taken.putIfAbsent(ranking.get(rank).doc, ranking.get(rank));
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

    private static SearchHit toHit(Document doc, float score) {
        return new SearchHit(doc.get(IndexFields.DOC_ID), doc.get(IndexFields.COLLECTION),
                doc.get(IndexFields.FILE_NAME), doc.get(IndexFields.TITLE),
                doc.getField(IndexFields.CHUNK_INDEX).numericValue().intValue(),
                doc.getField(IndexFields.PAGE).numericValue().intValue(), doc.get(IndexFields.HEADING),
                doc.getField(IndexFields.START).numericValue().intValue(),
                doc.getField(IndexFields.END).numericValue().intValue(), doc.get(IndexFields.TEXT), score, List.of(),
                null);
    }

    /** For tests and tools: the document ids of a set of hits, in order, without repeats. */
    public static List<String> documentIds(List<SearchHit> hits) {
        return new ArrayList<>(new LinkedHashSet<>(hits.stream().map(SearchHit::docId).toList()));
    }
}
