package io.yinghuo.retrieval.rag;

import io.yinghuo.retrieval.analysis.ChineseTextNormalizer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How much of a question a passage covers, as a relevance floor under BM25 (whose raw scores are not comparable
 * across questions, so they cannot say "nothing relevant"): the weighted share of the question's key terms
 * ({@link KeyTerms}) that the passage contains, traditional folded to simplified on both sides.
 */
public final class QueryCoverage {

    private final Map<String, Double> weights = new LinkedHashMap<>();
    private final double totalWeight;

    private QueryCoverage(List<String> terms, KeyTerms keyTerms) {
        double total = 0;
        double[] termWeights = keyTerms.weights(terms);
        for (int i = 0; i < termWeights.length; i++) {
            weights.put(terms.get(i), termWeights[i]);
            total += termWeights[i];
        }
        this.totalWeight = total;
    }

    /** Coverage of bigram terms, all weighted the same ({@link KeyTerms#BIGRAMS}). */
    public static QueryCoverage of(String question) {
        return of(question, KeyTerms.BIGRAMS);
    }

    public static QueryCoverage of(String question, KeyTerms keyTerms) {
        return new QueryCoverage(keyTerms.terms(question), keyTerms);
    }

    /** Whether the question has anything to look for. */
    public boolean isEmpty() {
        return weights.isEmpty();
    }

    /** Whether {@code passage} holds at least {@code minShare} of the key-term weight (an empty question: yes). */
    public boolean relevant(CharSequence passage, double minShare) {
        return isEmpty() || in(passage) >= minShare;
    }

    /** The weighted share of the key terms found in {@code passage}, in [0, 1]; 0 for an empty question. */
    public double in(CharSequence passage) {
        if (weights.isEmpty()) {
            return 0;
        }
        String text = ChineseTextNormalizer.fold(passage.toString()).toLowerCase(Locale.ROOT);
        double found = 0;
        for (Map.Entry<String, Double> term : weights.entrySet()) {
            if (text.contains(term.getKey())) {
                found += term.getValue();
            }
        }
        return found / totalWeight;
    }

    /** The key terms, for excerpts. */
    List<String> terms() {
        return List.copyOf(weights.keySet());
    }
}
