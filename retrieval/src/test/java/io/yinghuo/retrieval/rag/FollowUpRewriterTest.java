package io.yinghuo.retrieval.rag;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.invocation.InvocationParameters;
import dev.langchain4j.rag.query.Query;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FollowUpRewriterTest {

    private final FollowUpRewriter rewriter = new FollowUpRewriter();

    @Test
    void replacesPronounsWithTheEarlierTopic() {
        assertEquals("北京大学的校长是谁？", rewriter.rewrite("它的校长是谁？", List.of("北京大学是哪一年创办的？")));
        assertEquals("北京的面积有多大？", rewriter.rewrite("其面积有多大？", List.of("北京的人口是多少？")));
        assertEquals("鲁迅写过哪些小说？", rewriter.rewrite("他写过哪些小说？", List.of("请问鲁迅是哪里人？")));
    }

    @Test
    void swapsTheTopicForNaXNe() {
        assertEquals("清华大学是哪一年创办的？", rewriter.rewrite("那清华大学呢？", List.of("北京大学是哪一年创办的？")));
        assertEquals("上海的人口是多少？", rewriter.rewrite("上海呢", List.of("北京的人口是多少？")));
    }

    @Test
    void prefixesTheTopicForDeterminers() {
        assertEquals("《红楼梦》，这本书写于哪个朝代？",
                rewriter.rewrite("这本书写于哪个朝代？", List.of("《红楼梦》的作者是谁？")));
    }

    @Test
    void followsAChainOfFollowUps() {
        assertEquals("清华大学的校长是谁？", rewriter.rewrite("那清华大学呢？",
                List.of("北京大学是哪一年创办的？", "它的校长是谁？")));
    }

    @Test
    void leavesStandaloneQuestionsAlone() {
        assertEquals("上海的人口是多少？", rewriter.rewrite("上海的人口是多少？", List.of("北京的人口是多少？")));
        assertEquals("其中最大的湖是哪个？", rewriter.rewrite("其中最大的湖是哪个？", List.of("中国有哪些淡水湖？")));
        assertEquals("它的校长是谁？", rewriter.rewrite("它的校长是谁？", List.of()));
    }

    @Test
    void withoutATopicTheEarlierQuestionIsPutInFront() {
        assertEquals("谁发明了电话；他是哪国人？", rewriter.rewrite("他是哪国人？", List.of("谁发明了电话？")));
    }

    @Test
    void theTransformerRewritesFromTheChatMemoryThenSplits() {
        UserMessage current = UserMessage.from("那清华大学呢？另外，复旦大学在哪个城市？");
        Query query = Query.from(current.singleText(), RagQueries.metadata(current, null,
                List.of(UserMessage.from("北京大学是哪一年创办的？"), AiMessage.from("1898年。")),
                new InvocationParameters()));
        ChineseQueryTransformer.Plan plan = ChineseQueryTransformer.builder().build().plan(query);
        // Each part of a compound question is made standalone on its own.
        assertEquals(List.of("清华大学是哪一年创办的？", "复旦大学在哪个城市？"),
                plan.parts().stream().map(QuestionPart::text).toList());

        UserMessage followUp = UserMessage.from("那清华大学呢？");
        Query second = Query.from(followUp.singleText(), RagQueries.metadata(followUp, null,
                List.of(UserMessage.from("北京大学是哪一年创办的？"), AiMessage.from("1898年。"), followUp),
                new InvocationParameters()));
        List<Query> queries = List.copyOf(ChineseQueryTransformer.builder().build().transform(second));
        assertEquals(1, queries.size());
        assertEquals("清华大学是哪一年创办的？", queries.get(0).text());
        assertEquals(0, RagQueries.part(queries.get(0)));
    }
}
