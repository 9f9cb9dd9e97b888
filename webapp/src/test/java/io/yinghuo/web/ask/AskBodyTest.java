package io.yinghuo.web.ask;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.retrieval.rag.AskMode;
import io.yinghuo.retrieval.rag.AskRequest;
import io.yinghuo.retrieval.rag.Turn;
import io.yinghuo.web.ApiException;
import io.yinghuo.web.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AskBodyTest {

    private static AskBody parse(String json) {
        ObjectNode body = Json.parseObject(json.getBytes(StandardCharsets.UTF_8));
        return AskBody.parse(body, true);
    }

    @Test
    void aBareQuestionIsADocumentQuestionWithFivePassagesAndTheModelsSampling() {
        AskBody body = parse("{\"question\":\"长江有多长？\"}");
        AskRequest request = body.request();
        assertEquals("长江有多长？", request.question());
        assertEquals(AskMode.ASK, request.mode());
        assertEquals(5, request.maxSources());
        assertTrue(request.history().isEmpty() && request.docIds().isEmpty() && request.collections().isEmpty());
        assertNull(request.parameters());
        assertNull(body.contextTokens());
        assertTrue(body.stream());
    }

    @Test
    void everyFieldReachesTheRagRequest() {
        AskBody body = parse("{\"question\":\"它呢？\",\"mode\":\"SEARCH\",\"document_ids\":[\"a1\",\"b-2\"],"
                + "\"sources\":3,\"temperature\":0.5,\"max_tokens\":64,\"context_length\":2048,\"stream\":false}");
        AskRequest request = body.request();
        assertEquals(AskMode.SEARCH, request.mode());
        assertEquals(Set.of("a1", "b-2"), request.docIds());
        assertEquals(3, request.maxSources());
        assertEquals(0.5, request.parameters().temperature());
        assertEquals(64, request.parameters().maxOutputTokens());
        assertEquals(2048, body.contextTokens());
        assertFalse(body.stream());
        assertEquals(AskMode.ASK, parse("{\"question\":\"x\",\"mode\":\"rag\"}").request().mode());
    }

    @Test
    void historyBecomesExchangesAndAMessageWithoutItsPartnerIsLeftOut() {
        AskBody body = parse("{\"question\":\"x\",\"history\":["
                + "{\"role\":\"assistant\",\"content\":\"开场白\"},"
                + "{\"role\":\"user\",\"content\":\"没有回答的问题\"},"
                + "{\"role\":\"user\",\"content\":\"故宫在哪里？\"},"
                + "{\"role\":\"assistant\",\"content\":\"北京。\"},"
                + "{\"role\":\"user\",\"content\":\"长江呢？\"},"
                + "{\"role\":\"assistant\",\"content\":\"六千多公里。\"},"
                + "{\"role\":\"assistant\",\"content\":\"补充一句。\"}]}");
        assertEquals(List.of(new Turn("故宫在哪里？", "北京。"), new Turn("长江呢？", "六千多公里。")),
                body.request().history());
    }

    @Test
    void badInputIsA400NamingTheField() {
        assertBad("{}", "question", "question is required");
        assertBad("{\"question\":\" \"}", "question", "must not be empty");
        assertBad("{\"question\":\"x\",\"mode\":\"poem\"}", "mode", "mode must be ask, search or chat, got \"poem\"");
        assertBad("{\"question\":\"x\",\"history\":{}}", "history", "history must be an array");
        assertBad("{\"question\":\"x\",\"history\":[{\"role\":\"system\",\"content\":\"y\"}]}", "history",
                "role \"user\" or \"assistant\"");
        assertBad("{\"question\":\"x\",\"document_ids\":[\"../etc\"]}", "document_ids", "not a document id");
        assertBad("{\"question\":\"x\",\"sources\":21}", "sources", "from 1 to 20");
        assertBad("{\"question\":\"x\",\"temperature\":3}", "temperature", "from 0.0 to 2.0");
        assertBad("{\"question\":\"x\",\"stream\":\"yes\"}", "stream", "true or false");
    }

    @Test
    void limitsAreInclusive() {
        String longest = "问".repeat(AskBody.MAX_QUESTION_CHARS);
        assertEquals(longest, parse("{\"question\":\"" + longest + "\"}").request().question());
        assertBad("{\"question\":\"" + longest + "问\"}", "question", "longer than 4000 characters");

        StringBuilder history = new StringBuilder();
        for (int i = 0; i < AskBody.MAX_HISTORY / 2; i++) {
            history.append(i == 0 ? "" : ",").append("{\"role\":\"user\",\"content\":\"问").append(i)
                    .append("\"},{\"role\":\"assistant\",\"content\":\"答").append(i).append("\"}");
        }
        assertEquals(AskBody.MAX_HISTORY / 2,
                parse("{\"question\":\"x\",\"history\":[" + history + "]}").request().history().size());
        assertBad("{\"question\":\"x\",\"history\":[" + history + ",{\"role\":\"user\",\"content\":\"多\"}]}",
                "history", "more than 40 messages");

        assertEquals(1, parse("{\"question\":\"x\",\"sources\":1}").request().maxSources());
        assertEquals(20, parse("{\"question\":\"x\",\"sources\":20}").request().maxSources());
        assertBad("{\"question\":\"x\",\"sources\":0}", "sources", "from 1 to 20");
        assertEquals(0.0, parse("{\"question\":\"x\",\"temperature\":0}").request().parameters().temperature());
        assertEquals(2.0, parse("{\"question\":\"x\",\"temperature\":2}").request().parameters().temperature());
        assertBad("{\"question\":\"x\",\"temperature\":-0.5}", "temperature", "from 0.0 to 2.0");
    }

    @Test
    void documentIdsAndCollectionsNarrowTheSearch() {
        AskRequest request = parse("{\"question\":\"x\",\"document_ids\":[\"a1\"],\"collections\":[\"合同\"]}")
                .request();
        assertEquals(Set.of("a1"), request.docIds());
        assertEquals(Set.of("合同"), request.collections());
        assertBad("{\"question\":\"x\",\"collections\":\"合同\"}", "collections", "must be an array");
        assertBad("{\"question\":\"x\",\"collections\":[3]}", "collections", "not a collection name");
        assertBad("{\"question\":\"x\",\"document_ids\":\"a1\"}", "document_ids", "must be an array");
    }

    private static void assertBad(String json, String param, String message) {
        ApiException e = assertThrows(ApiException.class, () -> parse(json));
        assertEquals(400, e.status());
        assertEquals(param, e.param());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
