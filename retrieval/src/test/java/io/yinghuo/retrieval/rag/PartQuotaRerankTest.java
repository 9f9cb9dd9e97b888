package io.yinghuo.retrieval.rag;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.invocation.InvocationParameters;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.scoring.ScoringModel;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.query.Query;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link PartQuotaContentAggregator} with a scoring model (a reranker), per LangChain4j's ReRankingContentAggregator. */
class PartQuotaRerankTest {

    private static Query part(String text, int index) {
        UserMessage message = UserMessage.from(text);
        Query base = Query.from(text, RagQueries.metadata(message, null, List.of(), new InvocationParameters()));
        return RagQueries.partQuery(base, text, index, Set.of());
    }

    private static List<String> keys(List<Content> contents) {
        return contents.stream().map(Evidence::key).toList();
    }

    /** Two parts: the river's three passages and the palace's two, each in the retriever's order. */
    private static Map<Query, Collection<List<Content>>> twoParts() {
        Map<Query, Collection<List<Content>>> retrieved = new LinkedHashMap<>();
        retrieved.put(part("长江有多长", 0), List.of(List.of(
                RagTestData.passage("river", 0, "长江流经十一个省份。"),
                RagTestData.passage("river", 1, "长江的长度超过黄河。"),
                RagTestData.passage("river", 2, "长江全长六千三百公里。"))));
        retrieved.put(part("故宫在哪里", 1), List.of(List.of(
                RagTestData.passage("palace", 0, "故宫博物院成立于一九二五年。"),
                RagTestData.passage("palace", 1, "故宫位于北京市中心。"))));
        return retrieved;
    }

    @Test
    void eachPartIsReorderedByTheRerankerAndThePartsStillTakeTurns() {
        RecordingScoringModel reranker = RecordingScoringModel.preferring("六千三百公里", "北京市中心", "黄河");
        List<Content> out = PartQuotaContentAggregator.builder().minCoverage(0).scoringModel(reranker).build()
                .aggregate(twoParts());
        assertEquals(List.of("river#2", "palace#1", "river#1", "palace#0", "river#0"), keys(out));
        assertEquals(List.of(0, 1, 0, 1, 0), out.stream()
                .map(c -> c.textSegment().metadata().getInteger(Evidence.PART)).toList());
        assertEquals(List.of(1.0, 0.9, 0.8, 0.0, 0.0), out.stream()
                .map(c -> (Double) c.metadata().get(ContentMetadata.RERANKED_SCORE)).toList());
    }

    @Test
    void theRerankerIsAskedWithEachPartsOwnTextAndSeesTheTitledPassage() {
        RecordingScoringModel reranker = RecordingScoringModel.preferring("公里");
        PartQuotaContentAggregator.builder().minCoverage(0).scoringModel(reranker).build().aggregate(twoParts());
        assertEquals(List.of("长江有多长", "故宫在哪里"), reranker.calls.stream().map(RecordingScoringModel.Call::query)
                .toList());
        assertEquals(List.of("标题river\n长江流经十一个省份。", "标题river\n长江的长度超过黄河。",
                "标题river\n长江全长六千三百公里。"), reranker.calls.get(0).texts());
    }

    @Test
    void withoutAMinimumTheRelevanceFloorStillDecidesAndOnlyWhatPassedIsScored() {
        Map<Query, Collection<List<Content>>> retrieved = new LinkedHashMap<>();
        retrieved.put(part("如何申请美国签证", 0), List.of(List.of(
                RagTestData.passage("army", 0, "美国总统是美军最高指挥官。"),
                RagTestData.passage("visa", 0, "申请美国签证需要预约面谈。"),
                RagTestData.passage("visa", 1, "美国签证申请表在网上填写。"))));
        RecordingScoringModel reranker = RecordingScoringModel.preferring("网上", "总统");
        List<Content> out = PartQuotaContentAggregator.builder().minCoverage(0.5).scoringModel(reranker).build()
                .aggregate(retrieved);
        assertEquals(List.of("visa#1", "visa#0"), keys(out), "the army passage stays dropped");
        assertEquals(2, reranker.calls.get(0).texts().size());
    }

    @Test
    void aMinimumRerankScoreReplacesTheFloorForWhatTheRerankerScored() {
        Map<Query, Collection<List<Content>>> retrieved = new LinkedHashMap<>();
        retrieved.put(part("如何申请美国签证", 0), List.of(List.of(
                RagTestData.passage("army", 0, "美国总统是美军最高指挥官。"),
                RagTestData.passage("visa", 0, "申请美国签证需要预约面谈。"),
                RagTestData.passage("embassy", 0, "大使馆的面谈窗口周一到周五开放。"))));
        // The reranker likes the embassy passage the keyword floor would drop, and dislikes a keyword match.
        RecordingScoringModel reranker = new RecordingScoringModel(text -> text.contains("大使馆") ? 0.9
                : text.contains("预约") ? 0.2 : 0.05);
        List<Content> out = PartQuotaContentAggregator.builder().minCoverage(0.5).scoringModel(reranker)
                .minRerankScore(0.1).build().aggregate(retrieved);
        assertEquals(List.of("embassy#0", "visa#0"), keys(out));
        assertEquals(3, reranker.calls.get(0).texts().size(), "every candidate is scored");
        List<Content> strict = PartQuotaContentAggregator.builder().minCoverage(0.5).scoringModel(reranker)
                .minRerankScore(0.5).build().aggregate(retrieved);
        assertEquals(List.of("embassy#0"), keys(strict), "the keyword match under the minimum is dropped");
    }

    @Test
    void onlyTheFirstCandidatesOfAPartAreReranked() {
        int n = PartQuotaContentAggregator.RERANK_DEPTH + 5;
        List<Content> ranking = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ranking.add(RagTestData.passage("d", i, "长江 " + i));
        }
        Map<Query, Collection<List<Content>>> retrieved = new LinkedHashMap<>();
        retrieved.put(part("长江", 0), List.of(ranking));
        // Prefers later passages: reverses the first RERANK_DEPTH, cannot reach the rest.
        RecordingScoringModel reranker = new RecordingScoringModel(
                text -> Integer.parseInt(text.substring(text.lastIndexOf(' ') + 1)));
        List<Content> out = PartQuotaContentAggregator.builder().maxContents(n).minCoverage(0).scoringModel(reranker)
                .build().aggregate(retrieved);
        assertEquals(PartQuotaContentAggregator.RERANK_DEPTH, reranker.calls.get(0).texts().size());
        List<String> expected = new ArrayList<>();
        for (int i = PartQuotaContentAggregator.RERANK_DEPTH - 1; i >= 0; i--) {
            expected.add("d#" + i);
        }
        for (int i = PartQuotaContentAggregator.RERANK_DEPTH; i < n; i++) {
            expected.add("d#" + i);
        }
        assertEquals(expected, keys(out));
        assertNull(out.get(n - 1).metadata().get(ContentMetadata.RERANKED_SCORE));
    }

    @Test
    void aFailingRerankerSurfacesWithThePartAndTheCause() {
        RuntimeException cause = new RuntimeException("ONNX Runtime: out of memory");
        ScoringModel failing = (segments, query) -> {
            throw cause;
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PartQuotaContentAggregator
                .builder().minCoverage(0).scoringModel(failing).build().aggregate(twoParts()));
        assertEquals("the reranker failed on question part 1 (重排序失败): ONNX Runtime: out of memory",
                e.getMessage());
        assertSame(cause, e.getCause());
    }

    @Test
    void aRerankerThatMiscountsIsRefused() {
        ScoringModel oneScore = (segments, query) -> Response.from(List.of(0.5));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PartQuotaContentAggregator
                .builder().minCoverage(0).scoringModel(oneScore).build().aggregate(twoParts()));
        assertTrue(e.getMessage().contains("returned 1 scores for 3 passages of question part 1"), e.getMessage());
        ScoringModel nan = (segments, query) -> Response.from(segments.stream().map(s -> Double.NaN).toList());
        IllegalStateException notANumber = assertThrows(IllegalStateException.class, () -> PartQuotaContentAggregator
                .builder().minCoverage(0).scoringModel(nan).build().aggregate(twoParts()));
        assertEquals("the reranker returned NaN as the score of a passage of question part 1 (重排序失败)",
                notANumber.getMessage());
    }

    @Test
    void aMinimumWithoutARerankerIsAMistake() {
        assertThrows(IllegalStateException.class, () -> PartQuotaContentAggregator.builder().minRerankScore(0.5)
                .build());
        assertThrows(IllegalArgumentException.class, () -> PartQuotaContentAggregator.builder()
                .minRerankScore(Double.NaN));
    }

    @Test
    void withoutARerankerNothingChanges() {
        List<Content> out = PartQuotaContentAggregator.builder().minCoverage(0).build().aggregate(twoParts());
        assertEquals(List.of("river#0", "palace#0", "river#1", "palace#1", "river#2"), keys(out));
        assertTrue(out.stream().noneMatch(c -> c.metadata().containsKey(ContentMetadata.RERANKED_SCORE)));
        TextSegment first = out.get(0).textSegment();
        assertEquals("长江流经十一个省份。", first.text());
    }

    @Test
    void aPassageScoredExactlyAtTheMinimumIsKept() {
        Map<Query, Collection<List<Content>>> retrieved = new LinkedHashMap<>();
        retrieved.put(part("如何申请美国签证", 0), List.of(List.of(
                RagTestData.passage("visa", 0, "申请美国签证需要预约面谈。"),
                RagTestData.passage("army", 0, "美国总统是美军最高指挥官。"))));
        RecordingScoringModel reranker = new RecordingScoringModel(text -> text.contains("预约") ? 0.5 : 0.25);
        List<Content> out = PartQuotaContentAggregator.builder().minCoverage(0).scoringModel(reranker)
                .minRerankScore(0.5).build().aggregate(retrieved);
        assertEquals(List.of("visa#0"), keys(out), "at the minimum is enough, under it is not");
    }
}
