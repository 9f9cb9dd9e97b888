package io.yinghuo.retrieval.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Fuses a keyword (BM25) ranking and a vector (KNN) ranking of the same question by a convex combination of their
 * normalized scores: {@code score = α · bm25 / maxBm25 + (1 − α) · cos / maxCos}, each signal divided by its best
 * among the candidates, α = 1/2. Bruch, Gai and Ingber ("An Analysis of Fusion Functions for Hybrid Retrieval",
 * ACM TOIS 2023) found this convex combination better than reciprocal rank fusion and robust to α; on our dev
 * questions reciprocal rank fusion (k = 60, equal weights) lost 2.5–8 points of answer@1 on questions that quote
 * the text, because it throws away BM25's margin when the question shares a long run of words with one passage,
 * while the convex combination gained on those and on reworded questions alike (BENCHMARKS.md).
 *
 * <p>The score is in [0, 1]: it is divided by the weight of the signals a chunk can have. A chunk whose document
 * has no vector yet can only be found by keywords, so its score is {@code bm25 / maxBm25}: the best keyword match
 * scores 1 whether or not its document has been embedded yet, instead of sinking below every embedded chunk.
 */
final class ScoreFusion {

    /** Weight of the keyword signal (the vector signal has 1 − α). */
    static final double ALPHA = 0.5;

    /**
     * One candidate chunk.
     *
     * @param key the chunk's key in the search snapshot
     * @param bm25 its BM25 score, or NaN when the keyword search did not return it
     * @param cosine the cosine of its vector and the question's, or NaN when it has no vector of the question's space
     */
    record Candidate(String key, double bm25, double cosine) {
        boolean hasVector() {
            return !Double.isNaN(cosine);
        }
    }

    /** A fused chunk: its key and its score in [0, 1]. */
    record Fused(String key, double score) {
    }

    private ScoreFusion() {
    }

    /**
     * @param candidates every chunk of either ranking, keyword results first (in their order), then the other
     *                   vector results (in theirs): ties keep this order
     * @return the candidates by fused score, best first
     */
    static List<Fused> fuse(List<Candidate> candidates) {
        double maxBm25 = 0;
        double maxCosine = 0;
        for (Candidate c : candidates) {
            if (!Double.isNaN(c.bm25())) {
                maxBm25 = Math.max(maxBm25, c.bm25());
            }
            if (c.hasVector()) {
                maxCosine = Math.max(maxCosine, c.cosine());
            }
        }
        List<Fused> fused = new ArrayList<>(candidates.size());
        for (Candidate c : candidates) { // in candidate order; List.sort is stable, so ties keep it
            double lexical = Double.isNaN(c.bm25()) || maxBm25 <= 0 ? 0 : c.bm25() / maxBm25;
            double dense = !c.hasVector() || maxCosine <= 0 ? 0 : Math.max(0, c.cosine()) / maxCosine;
            double most = ALPHA + (c.hasVector() ? 1 - ALPHA : 0);
            fused.add(new Fused(c.key(), Math.min(1, (ALPHA * lexical + (1 - ALPHA) * dense) / most)));
        }
        fused.sort(Comparator.comparingDouble(Fused::score).reversed());
        return fused;
    }
}
