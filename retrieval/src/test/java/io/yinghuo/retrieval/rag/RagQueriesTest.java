package io.yinghuo.retrieval.rag;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.invocation.InvocationParameters;
import dev.langchain4j.rag.query.Metadata;
import dev.langchain4j.rag.query.Query;
import io.yinghuo.retrieval.langchain4j.RetrievalFilter;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a query carries through the pipeline: the user's selection, the part it serves, the documents it names. */
class RagQueriesTest {

    private static Query query(InvocationParameters parameters) {
        UserMessage message = UserMessage.from("长江有多长？");
        return Query.from("长江有多长？", RagQueries.metadata(message, null, List.of(), parameters));
    }

    private static Query query(Map<String, Object> parameters) {
        return query(new InvocationParameters(parameters));
    }

    private static Query withSelection(Set<String> selected) {
        return query(RagQueries.parameters(selected, Set.of()));
    }

    @Test
    void aQueryWithoutSelectionSearchesEverything() {
        assertEquals(RetrievalFilter.all(), RagQueries.filter(Query.from("长江")));
        assertEquals(RetrievalFilter.all(), RagQueries.filter(query(RagQueries.parameters(null, null))));
        assertEquals(RetrievalFilter.all(), RagQueries.filter(query(RagQueries.parameters(Set.of(), List.of()))));
        assertFalse(RagQueries.restrictedToNamedDocuments(Query.from("长江")));
        assertEquals(0, RagQueries.part(Query.from("长江")));
    }

    @Test
    void theUsersDocumentsAndCollectionsBecomeTheFilter() {
        Query query = query(RagQueries.parameters(List.of("river", "palace"), List.of("地理")));
        assertEquals(new RetrievalFilter(Set.of("river", "palace"), Set.of("地理")), RagQueries.filter(query));
        assertEquals(new RetrievalFilter(Set.of(), Set.of("地理")),
                RagQueries.filter(query(RagQueries.parameters(List.of(), List.of("地理")))));
    }

    @Test
    void aPartThatNamesDocumentsIsSearchedInsideThem() {
        Query part = RagQueries.partQuery(withSelection(Set.of()), "长江有多长？", 1, Set.of("river"));
        assertEquals(new RetrievalFilter(Set.of("river"), Set.of()), RagQueries.filter(part));
        assertTrue(RagQueries.restrictedToNamedDocuments(part));
        assertEquals(1, RagQueries.part(part));
    }

    @Test
    void theNamedDocumentsAreSearchedOnlyWithinTheUsersSelection() {
        Query selected = withSelection(Set.of("river", "tea"));
        assertEquals(Set.of("river"), RagQueries.filter(
                RagQueries.partQuery(selected, "长江", 0, Set.of("river", "palace"))).docIds());
        // A named document outside the selection is not searched: the part falls back to the selection.
        assertEquals(Set.of("river", "tea"), RagQueries.filter(
                RagQueries.partQuery(selected, "故宫", 0, Set.of("palace"))).docIds());
    }

    @Test
    void aPartQueryKeepsTheOriginalsMessagesAndParameters() {
        UserMessage message = UserMessage.from("它有多长？");
        SystemMessage system = SystemMessage.from("系统提示");
        List<ChatMessage> history = List.of(UserMessage.from("长江在哪里？"), AiMessage.from("在中国。"));
        Query original = Query.from("它有多长？", RagQueries.metadata(message, system, history,
                RagQueries.parameters(Set.of("river"), Set.of("地理"))));
        Query part = RagQueries.partQuery(original, "长江有多长？", 2, Set.of());
        assertEquals("长江有多长？", part.text());
        assertSame(message, part.metadata().chatMessage());
        assertEquals(system, part.metadata().systemMessage());
        assertEquals(history, part.metadata().chatMemory());
        assertEquals(2, RagQueries.part(part));
        assertFalse(RagQueries.restrictedToNamedDocuments(part));
        assertEquals(new RetrievalFilter(Set.of("river"), Set.of("地理")), RagQueries.filter(part));
    }

    @Test
    void aPartQueryStaysInTheSameConversation() {
        UserMessage message = UserMessage.from("长江有多长？");
        Metadata metadata = Metadata.builder().chatMessage(message)
                .invocationContext(InvocationContext.builder().chatMemoryId("user-7")
                        .invocationParameters(RagQueries.parameters(Set.of("river"), Set.of())).build())
                .build();
        Query part = RagQueries.partQuery(Query.from("长江有多长？", metadata), "长江有多长？", 1, Set.of());
        assertEquals("user-7", part.metadata().chatMemoryId());
        assertEquals(Set.of("river"), RagQueries.filter(part).docIds());
    }

    @Test
    void aPartOfAPartThatNamesNoDocumentSearchesTheSelectionAgain() {
        Query named = RagQueries.partQuery(withSelection(Set.of()), "长江", 0, Set.of("river"));
        Query again = RagQueries.partQuery(named, "长江", 1, Set.of());
        assertFalse(RagQueries.restrictedToNamedDocuments(again));
        assertEquals(RetrievalFilter.all(), RagQueries.filter(again));
        assertEquals(1, RagQueries.part(again));
    }

    @Test
    void aQueryWithoutMetadataGetsItsOwnTextAsTheUserMessage() {
        Query part = RagQueries.partQuery(Query.from("长江和故宫"), "长江", 0, Set.of("river"));
        assertEquals(UserMessage.from("长江和故宫"), part.metadata().chatMessage());
        assertNull(part.metadata().systemMessage());
        assertEquals(Set.of("river"), RagQueries.filter(part).docIds());
        assertEquals(0, RagQueries.part(part));
    }

    @Test
    void aParameterMayBeOneStringAndNullOrBlankValuesMeanNoRestriction() {
        assertEquals(Set.of("river"), RagQueries.filter(query(Map.of(RagQueries.DOCUMENT_IDS, "river"))).docIds());
        assertEquals(Set.of(), RagQueries.filter(query(Map.of(RagQueries.DOCUMENT_IDS, "  "))).docIds());
        assertEquals(Set.of("river"), RagQueries.filter(query(Map.of(RagQueries.DOCUMENT_IDS,
                Arrays.asList("river", null)))).docIds());
        assertEquals(Set.of("地理"), RagQueries.filter(query(Map.of(RagQueries.COLLECTIONS, "地理"))).collections());
        assertFalse(RagQueries.restrictedToNamedDocuments(query(Map.of(RagQueries.PART_DOCUMENTS, ""))));
        assertTrue(RagQueries.restrictedToNamedDocuments(query(Map.of(RagQueries.PART_DOCUMENTS, "river"))));
    }

    @Test
    void aParameterOfAnotherTypeIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RagQueries.filter(query(Map.of(RagQueries.DOCUMENT_IDS, 42))));
        assertEquals("invocation parameter must be a collection of strings, got java.lang.Integer", e.getMessage());
    }

    @Test
    void aPartIndexThatIsNotANumberCountsAsTheFirstPart() {
        assertEquals(3, RagQueries.part(query(Map.of(RagQueries.PART, 3L))));
        assertEquals(0, RagQueries.part(query(Map.of(RagQueries.PART, "3"))));
    }
}
