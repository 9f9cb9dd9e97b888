package io.yinghuo.retrieval.search;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ScoreFusionTest {

    private static final double NONE = Double.NaN;

    private static ScoreFusion.Candidate c(int doc, double bm25, double cosine) {
        return new ScoreFusion.Candidate(Integer.toString(doc), bm25, cosine);
    }

    private static List<Integer> docs(List<ScoreFusion.Fused> fused) {
        return fused.stream().map(f -> Integer.parseInt(f.key())).toList();
    }

    @Test
    void eachSignalIsDividedByItsBestAndAveraged() {
        List<ScoreFusion.Fused> fused = ScoreFusion.fuse(List.of(c(1, 10, 0.4), c(2, 5, 0.8), c(3, NONE, 0.6)));
        // 1: (10/10 + 0.4/0.8) / 2 = 0.75; 2: (5/10 + 1) / 2 = 0.75; 3: (0 + 0.6/0.8) / 2 = 0.375
        assertEquals(List.of(1, 2, 3), docs(fused), "a tie keeps the candidates' order");
        assertEquals(0.75, fused.get(0).score(), 1e-12);
        assertEquals(0.75, fused.get(1).score(), 1e-12);
        assertEquals(0.375, fused.get(2).score(), 1e-12);
    }

    @Test
    void bestOnBothSignalsScoresOne() {
        List<ScoreFusion.Fused> fused = ScoreFusion.fuse(List.of(c(4, 2, 0.3), c(5, 7, 0.9)));
        assertEquals(List.of(5, 4), docs(fused));
        assertEquals(1.0, fused.get(0).score(), 1e-12);
        assertEquals((2.0 / 7 + 0.3 / 0.9) / 2, fused.get(1).score(), 1e-12);
    }

    @Test
    void aChunkWithoutAVectorIsScoredByKeywordsAloneOnTheSameScale() {
        // 7's document has no vector yet: its best possible is its keyword score, so the top keyword hit scores 1.
        List<ScoreFusion.Fused> fused = ScoreFusion.fuse(List.of(c(7, 8, NONE), c(8, 4, 0.9)));
        assertEquals(List.of(7, 8), docs(fused));
        assertEquals(1.0, fused.get(0).score(), 1e-12);
        assertEquals((0.5 + 1) / 2, fused.get(1).score(), 1e-12);
    }

    @Test
    void negativeCosinesCountAsNoSimilarity() {
        List<ScoreFusion.Fused> fused = ScoreFusion.fuse(List.of(c(1, NONE, -0.2), c(2, NONE, 0.5)));
        assertEquals(List.of(2, 1), docs(fused));
        assertEquals(0.5, fused.get(0).score(), 1e-12, "found only by meaning: half the scale");
        assertEquals(0.0, fused.get(1).score(), 1e-12);
        List<ScoreFusion.Fused> allNegative = ScoreFusion.fuse(List.of(c(3, 1, -0.5)));
        assertEquals(0.5, allNegative.get(0).score(), 1e-12);
    }

    @Test
    void keywordsOnlyRankingKeepsBm25Order() {
        List<ScoreFusion.Fused> fused = ScoreFusion.fuse(List.of(c(3, 9, NONE), c(1, 6, NONE), c(2, 3, NONE)));
        assertEquals(List.of(3, 1, 2), docs(fused));
        assertEquals(List.of(1.0, 6.0 / 9, 3.0 / 9), fused.stream().map(ScoreFusion.Fused::score).toList());
        assertEquals(List.of(), ScoreFusion.fuse(List.of()));
    }
}
