package io.yinghuo.retrieval.search;

import io.yinghuo.retrieval.index.IndexProfile;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The analyzed terms of a question, per search field, with how often each occurs. The question is analyzed with
 * the very analyzers the index used, so folding and segmentation agree on both sides.
 */
final class QueryTerms {

    /** Lucene's default clause limit is 1024; a pasted page of text must not blow it. */
    static final int MAX_TERMS_PER_FIELD = 400;

    private final IndexProfile profile;
    private final Map<String, Map<String, Integer>> termsByField = new LinkedHashMap<>();

    private QueryTerms(IndexProfile profile) {
        this.profile = profile;
    }

    static QueryTerms analyze(IndexProfile profile, Map<String, Analyzer> analyzers, String text) {
        QueryTerms terms = new QueryTerms(profile);
        for (IndexProfile.SearchField field : profile.searchFields()) {
            terms.termsByField.put(field.name(), countTerms(analyzers.get(field.name()), field.name(), text));
        }
        return terms;
    }

    boolean isEmpty() {
        return termsByField.values().stream().allMatch(Map::isEmpty);
    }

    Map<String, Integer> terms(String field) {
        return termsByField.getOrDefault(field, Map.of());
    }

    /**
     * A disjunction of every term in every field: each term's boost is the field weight times how often the term
     * occurs in the question (what repeating the clause would do, in one clause).
     */
    Query toQuery() {
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        for (IndexProfile.SearchField field : profile.searchFields()) {
            for (Map.Entry<String, Integer> term : terms(field.name()).entrySet()) {
                Query termQuery = new TermQuery(new Term(field.name(), term.getKey()));
                float boost = field.weight() * term.getValue();
                query.add(boost == 1f ? termQuery : new BoostQuery(termQuery, boost), BooleanClause.Occur.SHOULD);
            }
        }
        return query.build();
    }

    private static Map<String, Integer> countTerms(Analyzer analyzer, String field, String text) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (TokenStream stream = analyzer.tokenStream(field, text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                String value = term.toString();
                if (counts.containsKey(value) || counts.size() < MAX_TERMS_PER_FIELD) {
                    counts.merge(value, 1, Integer::sum);
                }
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // analysis of an in-memory string does not do I/O
        }
        return counts;
    }

    @Override
    public String toString() {
        return termsByField.toString();
    }
}
