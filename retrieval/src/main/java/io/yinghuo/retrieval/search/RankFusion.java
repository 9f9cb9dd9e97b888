package io.yinghuo.retrieval.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Reciprocal rank fusion of a keyword (BM25) ranking and a vector (KNN) ranking: a chunk at 1-based rank r of a
 * ranking earns {@code w / (k + r)} from it, k = 60 (Cormack, Clarke and Büttcher, "Reciprocal Rank Fusion
 * outperforms Condorcet and individual Rank Learning Methods", SIGIR 2009; LangChain4j's {@code ReciprocalRankFuser}
 * uses the same k). Ranks, not scores, are fused because BM25 and cosine scores have no common scale.
 *
 * <p>The fused score is scaled to [0, 1] by the most a chunk could earn from the rankings it can be in: a chunk
 * with a vector can be in both, one without (its document not embedded yet) only in the keyword ranking, so a
 * chunk that is first everywhere it can be scores 1 whether or not it has a vector yet. Without this, chunks of
 * documents still waiting for their vectors would sink below every embedded chunk.
 */
final class RankFusion {

    static final int K = 60;

    private final double lexicalWeight;
    private final double denseWeight;

    RankFusion(double lexicalWeight, double denseWeight) {
        if (!(lexicalWeight > 0) || !(denseWeight > 0)) {
            throw new IllegalArgumentException("fusion weights must be positive");
        }
        this.lexicalWeight = lexicalWeight;
        this.denseWeight = denseWeight;
    }

    /** A fused chunk: its Lucene doc id and its score in [0, 1]. */
    record Fused(int doc, double score) {
    }

    /**
     * @param lexical Lucene doc ids by BM25, best first
     * @param dense Lucene doc ids by vector similarity, best first (empty without an embedding model)
     * @param hasVector whether a doc has a vector of the query's space, i.e. could be in {@code dense}
     * @return every doc of either ranking, by fused score (ties: keyword order, then vector order)
     */
    List<Fused> fuse(List<Integer> lexical, List<Integer> dense, IntPredicate hasVector) {
        Map<Integer, Double> earned = new LinkedHashMap<>();
        for (int rank = 0; rank < lexical.size(); rank++) {
            earned.merge(lexical.get(rank), lexicalWeight / (K + rank + 1), Double::sum);
        }
        for (int rank = 0; rank < dense.size(); rank++) {
            earned.merge(dense.get(rank), denseWeight / (K + rank + 1), Double::sum);
        }
        Map<Integer, Integer> order = new HashMap<>();
        List<Fused> fused = new ArrayList<>(earned.size());
        for (Map.Entry<Integer, Double> e : earned.entrySet()) {
            int doc = e.getKey();
            double most = (lexicalWeight + (hasVector.test(doc) ? denseWeight : 0)) / (K + 1);
            fused.add(new Fused(doc, Math.min(1.0, e.getValue() / most)));
            order.put(doc, order.size());
        }
        fused.sort(Comparator.comparingDouble(Fused::score).reversed()
                .thenComparingInt(f -> order.get(f.doc())));
        return fused;
    }
}
