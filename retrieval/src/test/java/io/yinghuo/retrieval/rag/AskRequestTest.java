package io.yinghuo.retrieval.rag;

import dev.langchain4j.model.chat.request.ChatRequestParameters;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A question's options as a web or command-line caller sets them. */
class AskRequestTest {

    @Test
    void eachOptionChangesOnlyItselfAndKeepsTheOthers() {
        ChatRequestParameters sampling = ChatRequestParameters.builder().temperature(0.2).build();
        List<Turn> history = List.of(new Turn("长江在哪里？", "在中国。"));
        AskRequest request = AskRequest.ask("它有多长？").withMode(AskMode.SEARCH).withHistory(history)
                .withDocIds(Set.of("river")).withCollections(Set.of("地理")).withMaxSources(3)
                .withParameters(sampling);
        assertEquals(new AskRequest("它有多长？", history, Set.of("river"), Set.of("地理"), AskMode.SEARCH, 3,
                sampling), request);
        assertEquals(Set.of("地理"), request.withParameters(null).collections());
        assertEquals(sampling, request.withCollections(Set.of()).parameters());
    }

    @Test
    void modesAreNamedAsUsersWriteThem() {
        assertEquals(AskMode.SEARCH, AskMode.parse(" Search "));
        assertEquals(AskMode.CHAT, AskMode.parse("chat"));
        assertEquals("ask", AskMode.ASK.label());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AskMode.parse("summarise"));
        assertEquals("unknown mode \"summarise\"; expected ask, search or chat", e.getMessage());
    }
}
