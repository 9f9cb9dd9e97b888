package io.yinghuo.web.ask;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.retrieval.rag.AskResponse;
import io.yinghuo.web.Json;

import java.util.List;
import java.util.Locale;

/**
 * A finished answer as the API returns it.
 *
 * @param response the QA service's response
 * @param sources every passage given to the model or shown (search mode: the results), flagged when cited
 */
public record Answer(AskResponse response, List<Source> sources) {

    public String text() {
        return response.answer();
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("answer", response.answer());
        o.put("mode", response.mode().label());
        o.put("kind", response.kind().name().toLowerCase(Locale.ROOT));
        o.put("finish_reason", response.finishReason().isEmpty() ? null : response.finishReason());
        o.put("standalone_question", response.standalone());
        ArrayNode parts = o.putArray("parts");
        response.parts().forEach(parts::add);
        ArrayNode array = o.putArray("sources");
        for (Source source : sources) {
            array.add(source.toJson());
        }
        ArrayNode unknown = o.putArray("unknown_citations");
        response.unknownCitations().forEach(unknown::add);
        o.put("prompt_tokens", response.promptTokens());
        o.put("budget_tokens", response.budgetTokens());
        o.put("retrieval_ms", Math.round(response.retrievalMillis() * 10) / 10.0);
        o.put("answer_ms", Math.round(response.answerMillis() * 10) / 10.0);
        return o;
    }
}
