package io.yinghuo.retrieval.eval;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Asks every question of a set and scores the rankings (see {@link SourceReport} for the definitions). */
public final class RetrievalEvaluator {

    /** What is evaluated: the top {@code k} chunks for a question, best first. */
    @FunctionalInterface
    public interface Retrieval {
        List<RankedChunk> retrieve(String question, int k) throws IOException;
    }

    private static final int MRR_DEPTH = 10;

    private RetrievalEvaluator() {
    }

    public static SourceReport evaluate(String source, List<EvalQuestion> questions, List<Integer> ks,
                                        Retrieval retrieval) throws IOException {
        if (ks.isEmpty()) {
            throw new IllegalArgumentException("no k values to evaluate");
        }
        int depth = Math.max(MRR_DEPTH, ks.stream().mapToInt(Integer::intValue).max().getAsInt());
        Map<Integer, Integer> docHits = counter(ks);
        Map<Integer, Integer> answerHits = counter(ks);
        // Recall of every gold document at a k below their number is 0 by definition: not reported.
        int maxGold = questions.stream().mapToInt(q -> q.goldDocIds().size()).max().orElse(1);
        List<Integer> multiKs = ks.stream().filter(k -> k >= maxGold).toList();
        Map<Integer, Integer> allDocsHits = counter(multiKs);
        Map<Integer, Integer> allAnswersHits = counter(multiKs);
        double reciprocalRanks = 0;
        int single = 0;
        int multi = 0;
        long[] latencies = new long[questions.size()];
        int asked = 0;
        for (EvalQuestion question : questions) {
            long start = System.nanoTime();
            List<RankedChunk> ranked = retrieval.retrieve(question.question(), depth);
            latencies[asked++] = System.nanoTime() - start;
            if (question.multiDocument()) {
                multi++;
                for (int k : multiKs) {
                    List<RankedChunk> top = ranked.subList(0, Math.min(k, ranked.size()));
                    if (containsAllDocs(top, question.goldDocIds())) {
                        allDocsHits.merge(k, 1, Integer::sum);
                    }
                    if (question.answerGroups().stream().allMatch(group -> containsAnswer(top, group))) {
                        allAnswersHits.merge(k, 1, Integer::sum);
                    }
                }
            } else {
                single++;
                String gold = question.goldDocIds().get(0);
                for (int k : ks) {
                    List<RankedChunk> top = ranked.subList(0, Math.min(k, ranked.size()));
                    if (top.stream().anyMatch(c -> c.docId().equals(gold))) {
                        docHits.merge(k, 1, Integer::sum);
                    }
                    if (containsAnswer(top, question.answerGroups().get(0))) {
                        answerHits.merge(k, 1, Integer::sum);
                    }
                }
                for (int rank = 0; rank < Math.min(MRR_DEPTH, ranked.size()); rank++) {
                    if (ranked.get(rank).docId().equals(gold)) {
                        reciprocalRanks += 1.0 / (rank + 1);
                        break;
                    }
                }
            }
        }
        Arrays.sort(latencies, 0, asked);
        return new SourceReport(source, single, multi,
                single == 0 ? null : rates(docHits, single), single == 0 ? null : rates(answerHits, single),
                single == 0 ? null : reciprocalRanks / single,
                multi == 0 ? null : rates(allDocsHits, multi), multi == 0 ? null : rates(allAnswersHits, multi),
                percentileMs(latencies, asked, 0.50), percentileMs(latencies, asked, 0.99));
    }

    private static boolean containsAllDocs(List<RankedChunk> top, List<String> gold) {
        Set<String> found = new HashSet<>();
        for (RankedChunk chunk : top) {
            found.add(chunk.docId());
        }
        return found.containsAll(gold);
    }

    private static boolean containsAnswer(List<RankedChunk> top, List<String> answers) {
        for (RankedChunk chunk : top) {
            for (String answer : answers) {
                if (!answer.isEmpty() && chunk.text().contains(answer)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Map<Integer, Integer> counter(List<Integer> ks) {
        Map<Integer, Integer> counts = new LinkedHashMap<>();
        for (int k : ks) {
            if (k < 1) {
                throw new IllegalArgumentException("k must be at least 1, got " + k);
            }
            counts.put(k, 0);
        }
        return counts;
    }

    private static Map<Integer, Double> rates(Map<Integer, Integer> counts, int total) {
        Map<Integer, Double> rates = new LinkedHashMap<>();
        counts.forEach((k, n) -> rates.put(k, (double) n / total));
        return rates;
    }

    /** Nearest-rank percentile of the first {@code n} sorted values, in milliseconds; 0 when there are none. */
    public static double percentileMs(long[] sortedNanos, int n, double p) {
        return n == 0 ? 0 : sortedNanos[nearestRank(n, p)] / 1e6;
    }

    /**
     * The index of the {@code p} percentile among {@code n} (at least 1) sorted values by the nearest-rank method:
     * the value at rank ceil(p n), counting from 1, so that at least a fraction p of the values are at or below it
     * (https://en.wikipedia.org/wiki/Percentile#The_nearest-rank_method).
     */
    static int nearestRank(int n, double p) {
        int rank = (int) Math.ceil(p * n);
        return Math.max(0, Math.min(n - 1, rank - 1));
    }
}
