package io.yinghuo.retrieval.search;

import io.yinghuo.retrieval.index.IndexProfile;
import io.yinghuo.retrieval.index.WeightedTerm;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The analyzed terms of a question, per search field, with how often each occurs. The question is analyzed with
 * the very analyzers the index used, so folding and segmentation agree on both sides.
 */
final class QueryTerms {

    /** Lucene's (and Solr's) default clause limit is 1024; a pasted page of text must not blow it. */
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
     * Every term in every field, for a disjunction: each term's boost is the field weight times how often the term
     * occurs in the question (what repeating the clause would do, in one clause).
     */
    List<WeightedTerm> weighted() {
        List<WeightedTerm> weighted = new ArrayList<>();
        for (IndexProfile.SearchField field : profile.searchFields()) {
            for (Map.Entry<String, Integer> term : terms(field.name()).entrySet()) {
                weighted.add(new WeightedTerm(field.name(), term.getKey(), field.weight() * term.getValue()));
            }
        }
        return weighted;
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
