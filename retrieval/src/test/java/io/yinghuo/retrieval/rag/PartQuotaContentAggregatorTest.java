package io.yinghuo.retrieval.rag;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.invocation.InvocationParameters;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.query.Query;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PartQuotaContentAggregatorTest {

    private static Query part(String text, int index, Set<String> docs) {
        UserMessage message = UserMessage.from(text);
        Query base = Query.from(text, RagQueries.metadata(message, null, List.of(), new InvocationParameters()));
        return RagQueries.partQuery(base, text, index, docs);
    }

    @Test
    void partsTakeTurnsSoACutKeepsEveryPart() {
        Map<Query, Collection<List<Content>>> retrieved = new LinkedHashMap<>();
        retrieved.put(part("长江有多长", 0, Set.of()), List.of(List.of(
                RagTestData.passage("river", 0, "长江全长六千三百公里。"),
                RagTestData.passage("river", 1, "长江流经十一个省份，长度居世界第三。"),
                RagTestData.passage("river", 2, "长江的长度超过黄河。"))));
        retrieved.put(part("故宫在哪里", 1, Set.of()), List.of(List.of(
                RagTestData.passage("palace", 0, "故宫位于北京市中心。"),
                RagTestData.passage("palace", 1, "故宫在北京，旧称紫禁城。"))));
        List<Content> out = PartQuotaContentAggregator.builder().maxContents(3).minCoverage(0).build()
                .aggregate(retrieved);
        assertEquals(List.of("river#0", "palace#0", "river#1"), out.stream().map(Evidence::key).toList());
        assertEquals(List.of(0, 1, 0), out.stream()
                .map(c -> c.textSegment().metadata().getInteger(Evidence.PART)).toList());
    }

    @Test
    void fusesAPartsQueriesAndKeepsAPassageOnce() {
        Map<Query, Collection<List<Content>>> retrieved = new LinkedHashMap<>();
        // The part searched inside its named document and everywhere: the chunk both found comes first.
        retrieved.put(part("年度报告的结论是什么", 0, Set.of("report")), List.of(List.of(
                RagTestData.passage("report", 3, "年度报告的结论：收入增长。"),
                RagTestData.passage("report", 1, "年度报告的结论见第三节。"))));
        retrieved.put(part("年度报告的结论是什么", 0, Set.of()), List.of(List.of(
                RagTestData.passage("other", 0, "另一份年度报告的结论不同。"),
                RagTestData.passage("report", 3, "年度报告的结论：收入增长。"))));
        List<Content> out = PartQuotaContentAggregator.builder().minCoverage(0).build().aggregate(retrieved);
        assertEquals(List.of("report#3", "other#0", "report#1"), out.stream().map(Evidence::key).toList());
        assertEquals(List.of(0, 0, 0), parts(out), "both searches belong to the first part");
    }

    @Test
    void dropsPassagesThatMissThePart() {
        Map<Query, Collection<List<Content>>> retrieved = new LinkedHashMap<>();
        retrieved.put(part("如何申请美国签证", 0, Set.of()), List.of(List.of(
                RagTestData.passage("army", 0, "美国总统是美军最高指挥官。"),
                RagTestData.passage("visa", 0, "申请美国签证需要预约面谈。"))));
        List<Content> out = PartQuotaContentAggregator.builder().minCoverage(0.5).build().aggregate(retrieved);
        assertEquals(List.of("visa#0"), out.stream().map(Evidence::key).toList());
    }

    @Test
    void queriesWithoutPartIndexCountAsPartsInOrder() {
        Map<Query, Collection<List<Content>>> retrieved = new LinkedHashMap<>();
        retrieved.put(Query.from("长江"), List.of(List.of(RagTestData.passage("a", 0, "长江"),
                RagTestData.passage("a", 1, "长江二"))));
        retrieved.put(Query.from("黄河"), List.of(List.of(RagTestData.passage("b", 0, "黄河"))));
        List<Content> out = PartQuotaContentAggregator.builder().build().aggregate(retrieved);
        assertEquals(List.of("a#0", "b#0", "a#1"), out.stream().map(Evidence::key).toList());
        // Each query is its own part, and the passages say so (the injector groups and the answer cites by it).
        assertEquals(List.of(0, 1, 0), parts(out));
    }

    private static List<Integer> parts(List<Content> contents) {
        return contents.stream().map(c -> c.textSegment().metadata().getInteger(Evidence.PART)).toList();
    }

    @Test
    void aPassageBothSearchesFoundOutranksTheFirstOfOneSearchOnly() {
        // One part searched by keywords and by vectors: reciprocal rank fusion adds 1/(60 + rank) over the lists.
        Map<Query, Collection<List<Content>>> retrieved = new LinkedHashMap<>();
        Content a = RagTestData.passage("a", 0, "长江全长六千三百公里。");
        Content b = RagTestData.passage("b", 0, "长江的长度约为六千三百公里。");
        Content x = RagTestData.passage("x", 0, "长江流经十一个省份。");
        Content y = RagTestData.passage("y", 0, "长江是中国第一长河。");
        Content z = RagTestData.passage("z", 0, "长江的源头在青海。");
        Content c = RagTestData.passage("c", 0, "长江三角洲经济发达。");
        Content d = RagTestData.passage("d", 0, "长江有多长：六千三百公里。");
        retrieved.put(part("长江有多长", 0, Set.of()), List.of(List.of(a, b, x, y, z, c), List.of(d, b)));
        List<Content> out = PartQuotaContentAggregator.builder().minCoverage(0).build().aggregate(retrieved);
        // b: 2/62 first; a and d both 1/61, in the order they were found; then the rest of the keyword list.
        assertEquals(List.of("b#0", "a#0", "d#0", "x#0", "y#0", "z#0", "c#0"),
                out.stream().map(Evidence::key).toList());
        assertEquals(List.of(0, 0, 0, 0, 0, 0, 0), parts(out));
    }

    @Test
    void partsKeepTheirOwnIndexWhenAnEarlierPartFoundNothing() {
        Map<Query, Collection<List<Content>>> retrieved = new LinkedHashMap<>();
        retrieved.put(part("故宫在哪里", 2, Set.of()), List.of(List.of(
                RagTestData.passage("palace", 0, "故宫位于北京市中心。"))));
        retrieved.put(part("长江有多长", 1, Set.of()), List.of(List.of(
                RagTestData.passage("river", 0, "长江全长六千三百公里。"))));
        retrieved.put(part("黄河有多长", 0, Set.of()), List.of(List.of()));
        List<Content> out = PartQuotaContentAggregator.builder().minCoverage(0).build().aggregate(retrieved);
        // Parts in question order, each passage tagged with the part of the question it answers.
        assertEquals(List.of("river#0", "palace#0"), out.stream().map(Evidence::key).toList());
        assertEquals(List.of(1, 2), parts(out));
    }

    @Test
    void aPassageAtExactlyTheVectorFloorIsKeptWhateverItsWords() {
        Map<Query, Collection<List<Content>>> retrieved = new LinkedHashMap<>();
        retrieved.put(part("如何申请美国签证", 0, Set.of()), List.of(List.of(
                similar(RagTestData.passage("embassy", 0, "大使馆的面谈窗口周一到周五开放。"), 0.72),
                similar(RagTestData.passage("army", 0, "大使馆附近的餐馆很多。"), 0.71))));
        List<Content> out = PartQuotaContentAggregator.builder().minCoverage(0.5).minSimilarity(0.72).build()
                .aggregate(retrieved);
        assertEquals(List.of("embassy#0"), out.stream().map(Evidence::key).toList());
    }

    private static Content similar(Content content, double similarity) {
        dev.langchain4j.data.segment.TextSegment segment = content.textSegment();
        return Content.from(dev.langchain4j.data.segment.TextSegment.from(segment.text(), segment.metadata().copy()
                .put(io.yinghuo.retrieval.langchain4j.ChineseContentRetriever.SIMILARITY, similarity)));
    }
    @Test
    void theVectorFloorTakesAnySimilarityFromZeroToOneWhereOneTurnsItOff() {
        PartQuotaContentAggregator.builder().minSimilarity(0).build();
        PartQuotaContentAggregator.builder().minSimilarity(1).build();
        for (double bad : new double[] {-0.01, 1.01, Double.NaN}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> PartQuotaContentAggregator.builder().minSimilarity(bad));
            assertEquals("minSimilarity must be in [0, 1], got " + bad, e.getMessage());
        }
    }
}
