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

    @Test
    void aPronounAfterALeadInIsReplacedWhereItStands() {
        assertEquals("请问北京大学的校长是谁？", rewriter.rewrite("请问它的校长是谁？", List.of("北京大学是哪一年创办的？")));
        assertEquals("那么北京的面积有多大？", rewriter.rewrite("那么其面积有多大？", List.of("北京的人口是多少？")));
    }

    @Test
    void aNameInQuotesIsTheTopicWithoutItsQuotes() {
        assertEquals("一带一路的目标是什么？", rewriter.rewrite("它的目标是什么？", List.of("“一带一路”倡议是哪年提出的？")));
        assertEquals("双减的对象是谁？", rewriter.rewrite("它的对象是谁？", List.of("「双减」政策是哪年出台的？")));
        assertEquals("ChatGPT的作者是谁？", rewriter.rewrite("它的作者是谁？", List.of("\"ChatGPT\"是什么时候发布的？")));
        // Empty quotes name nothing: the leading noun phrase is the topic.
        assertEquals("政策的对象是谁？", rewriter.rewrite("它的对象是谁？", List.of("政策“”是哪年出台的？")));
        // A quotation longer than a name (24 characters) is not a topic.
        String speech = "“" + "我们要坚持改革开放不断推进经济社会发展提高人民生活水平" + "”是谁说的？";
        assertEquals(QuestionText.stripEndPunctuation(speech) + "；它是在哪里说的？",
                rewriter.rewrite("它是在哪里说的？", List.of(speech)));
    }

    @Test
    void theTopicEndsAtPunctuationAndMustBeANameOfTwoToTwentyFourCharacters() {
        assertEquals("北京大学的校长是谁？", rewriter.rewrite("它的校长是谁？", List.of("北京大学（北大）是哪一年创办的？")));
        assertEquals("北大的校长是谁？", rewriter.rewrite("它的校长是谁？", List.of("北大是哪一年创办的？")));
        // One character is no topic: the earlier question goes in front instead.
        assertEquals("京是什么；它的校长是谁？", rewriter.rewrite("它的校长是谁？", List.of("京是什么？")));
        String name24 = "北京市海淀区中关村科技园区管理委员会信息中心二处";
        assertEquals(24, name24.length());
        assertEquals(name24 + "的主任是谁？", rewriter.rewrite("它的主任是谁？", List.of(name24 + "是哪年成立的？")));
        String name25 = name24 + "乙";
        assertEquals(name25 + "是哪年成立的；它的主任是谁？", rewriter.rewrite("它的主任是谁？",
                List.of(name25 + "是哪年成立的？")));
    }

    @Test
    void aSwapThatNamesAPronounOrDeterminerIsNotASwap() {
        assertEquals("那北京大学呢？", rewriter.rewrite("那它呢？", List.of("北京大学是哪一年创办的？")));
        assertEquals("北京大学，那这个学校呢？", rewriter.rewrite("那这个学校呢？", List.of("北京大学是哪一年创办的？")));
    }

    @Test
    void anEmptyTitleOrAQuestionThatStartsWithAVerbHasNoTopic() {
        assertEquals("《》的作者是谁；它是哪年写的？", rewriter.rewrite("它是哪年写的？", List.of("《》的作者是谁？")));
        assertEquals("在北京大学读书需要多少钱；它的学费是多少？",
                rewriter.rewrite("它的学费是多少？", List.of("在北京大学读书需要多少钱？")));
    }

    @Test
    void aQuotedNameOfTwentyFourCharactersIsStillATopic() {
        String name24 = "北京市海淀区中关村科技园区管理委员会信息中心二处";
        assertEquals(name24 + "的主任是谁？", rewriter.rewrite("它的主任是谁？", List.of("“" + name24 + "”是哪年成立的？")));
        assertEquals(name24 + "的主任是谁？", rewriter.rewrite("它的主任是谁？", List.of("请问“" + name24 + "”是哪年成立的？")));
    }

    @Test
    void wordsThatMerelyContainAPronounCharacterAreNotReferences() {
        assertEquals("尤其是冬天冷不冷？", rewriter.rewrite("尤其是冬天冷不冷？", List.of("哈尔滨的气候怎么样？")));
        assertEquals("其中哪个最便宜？", rewriter.rewrite("其中哪个最便宜？", List.of("北京有哪些博物馆？")));
    }

    @Test
    void aTopicThatIsItselfAReferenceIsNoTopic() {
        assertEquals("该校是哪年创办的；它的校长是谁？", rewriter.rewrite("它的校长是谁？", List.of("该校是哪年创办的？")));
        assertEquals("他们学校是哪年创办的；它的校长是谁？",
                rewriter.rewrite("它的校长是谁？", List.of("他们学校是哪年创办的？")));
    }
}
