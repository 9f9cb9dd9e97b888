package io.yinghuo.web.ask;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.web.Json;

import java.util.List;

/**
 * A finished answer.
 *
 * @param text the answer text ("" in search mode)
 * @param sources every retrieved passage, flagged when cited
 * @param mode ask, search or chat
 * @param kind how the text was made: {@code generated} by the model, {@code evidence} (no model: the passages
 *             themselves), {@code not_found} (nothing relevant), {@code none} (search mode)
 * @param finishReason stop, length, cancelled, or null when nothing was generated
 * @param promptTokens prompt tokens, or null
 * @param outputTokens answer tokens, or null
 */
public record Answer(String text, List<Source> sources, String mode, String kind, String finishReason,
                     Integer promptTokens, Integer outputTokens) {

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("answer", text);
        o.put("mode", mode);
        o.put("kind", kind);
        o.put("finish_reason", finishReason);
        ArrayNode array = o.putArray("sources");
        for (Source source : sources) {
            array.add(source.toJson());
        }
        if (promptTokens != null) {
            ObjectNode usage = o.putObject("usage");
            usage.put("prompt_tokens", promptTokens);
            usage.put("completion_tokens", outputTokens);
            usage.put("total_tokens", promptTokens + outputTokens);
        }
        return o;
    }
}
