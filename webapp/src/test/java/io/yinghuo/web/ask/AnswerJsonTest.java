package io.yinghuo.web.ask;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.retrieval.rag.AnswerKind;
import io.yinghuo.retrieval.rag.AskMode;
import io.yinghuo.retrieval.rag.AskResponse;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The finished answer's JSON: every field a client reads, with the pipeline's values as they are. */
class AnswerJsonTest {

    @Test
    void theFinishedAnswerCarriesItsPartsUnknownCitationsAndTimingsToATenthOfAMillisecond() {
        AskResponse response = new AskResponse(AskMode.ASK, AnswerKind.MODEL, "长江和黄河哪个长？", "长江和黄河哪个长？",
                List.of("长江有多长？", "黄河有多长？"), "长江更长[1]。", List.of(), List.of(), List.of(3, 7), 812, 4096,
                "length", 12.345, 0.04);

        ObjectNode json = AnswerJson.answer(response);

        assertEquals("长江更长[1]。", json.get("answer").asText());
        assertEquals("model", json.get("kind").asText());
        assertEquals("length", json.get("finish_reason").asText());
        assertEquals("[\"长江有多长？\",\"黄河有多长？\"]", json.get("parts").toString());
        assertEquals("[3,7]", json.get("unknown_citations").toString());
        assertEquals(812, json.get("prompt_tokens").asInt());
        assertEquals(4096, json.get("budget_tokens").asInt());
        assertEquals(12.3, json.get("retrieval_ms").asDouble());
        assertEquals(0.0, json.get("answer_ms").asDouble());
        assertEquals("[]", json.get("sources").toString());
        assertEquals("[]", AnswerJson.listedSources(response).get("sources").toString());
    }

    @Test
    void anAnswerThatEndedWithoutAReasonHasANullFinishReason() {
        AskResponse response = new AskResponse(AskMode.SEARCH, AnswerKind.SEARCH_RESULTS, "q", "q", List.of(), "", List.of(),
                List.of(), List.of(), 0, 0, "", 1.06, 2.94);
        ObjectNode json = AnswerJson.answer(response);
        assertTrue(json.get("finish_reason").isNull(), json.toString());
        assertEquals(1.1, json.get("retrieval_ms").asDouble());
        assertEquals(2.9, json.get("answer_ms").asDouble());
        assertEquals("[]", json.get("parts").toString());
    }
}
