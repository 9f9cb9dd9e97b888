package io.yinghuo.retrieval.rag;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.rag.query.Query;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The transformer's switches: follow-ups rewritten from the history, compound questions split. */
class ChineseQueryTransformerTest {

    private static Query withHistory(String question, List<ChatMessage> history) {
        UserMessage message = UserMessage.from(question);
        return Query.from(question, RagQueries.metadata(message, null, history,
                RagQueries.parameters(Set.of(), Set.of())));
    }

    private static final List<ChatMessage> PALACE = List.of(UserMessage.from("故宫在哪里？"),
            AiMessage.from("故宫位于北京市中心。"));

    @Test
    void byDefaultAFollowUpIsRewrittenAndACompoundQuestionSplit() {
        ChineseQueryTransformer transformer = ChineseQueryTransformer.builder().build();
        assertEquals("故宫的博物院成立于哪一年？",
                transformer.plan(withHistory("它的博物院成立于哪一年？", PALACE)).standalone());
        assertEquals(List.of("长江有多长？", "故宫在哪里？"), transformer.transform(Query.from("长江有多长？另外，故宫在哪里？"))
                .stream().map(Query::text).toList());
    }

    @Test
    void eitherStepCanBeTurnedOff() {
        ChineseQueryTransformer literal = ChineseQueryTransformer.builder().rewriteFollowUps(false).build();
        assertEquals("它的博物院成立于哪一年？",
                literal.plan(withHistory("它的博物院成立于哪一年？", PALACE)).standalone());
        ChineseQueryTransformer whole = ChineseQueryTransformer.builder().splitQuestions(false).build();
        ChineseQueryTransformer.Plan plan = whole.plan(Query.from("长江有多长？另外，故宫在哪里？"));
        assertEquals(List.of(QuestionPart.of("长江有多长？另外，故宫在哪里？")), plan.parts());
        assertEquals(List.of("长江有多长？另外，故宫在哪里？"), plan.queries().stream().map(Query::text).toList());
    }
}
