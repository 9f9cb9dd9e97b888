package io.yinghuo.web.ask;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.retrieval.rag.AskMode;
import io.yinghuo.retrieval.rag.AskResponse;
import io.yinghuo.retrieval.rag.Source;
import io.yinghuo.web.Json;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The JSON of {@code POST /api/ask}, written straight from the RAG pipeline's {@link AskResponse} and
 * {@link Source}s: the web layer keeps no copies of them. Each source is a passage as {@link PassageJson} writes it.
 */
public final class AnswerJson {

    private AnswerJson() {
    }

    /** {@code {sources}} with every passage {@code cited: false}: what was retrieved, before the answer. */
    public static ObjectNode retrieved(List<Source> evidence) {
        ObjectNode o = Json.object();
        o.set("sources", sources(evidence, Set.of()));
        return o;
    }

    /** {@code {sources}}: the passages the answer lists, flagged when cited. */
    public static ObjectNode listedSources(AskResponse response) {
        ObjectNode o = Json.object();
        o.set("sources", listed(response));
        return o;
    }

    /** The finished answer ({@code done}, or the whole body without streaming). */
    public static ObjectNode answer(AskResponse response) {
        ObjectNode o = Json.object();
        o.put("answer", response.answer());
        o.put("mode", response.mode().label());
        o.put("kind", kind(response));
        o.put("finish_reason", response.finishReason().isEmpty() ? null : response.finishReason());
        o.put("standalone_question", response.standalone());
        ArrayNode parts = o.putArray("parts");
        response.parts().forEach(parts::add);
        o.set("sources", listed(response));
        ArrayNode unknown = o.putArray("unknown_citations");
        response.unknownCitations().forEach(unknown::add);
        o.put("prompt_tokens", response.promptTokens());
        o.put("budget_tokens", response.budgetTokens());
        o.put("retrieval_ms", Math.round(response.retrievalMillis() * 10) / 10.0);
        o.put("answer_ms", Math.round(response.answerMillis() * 10) / 10.0);
        return o;
    }

    /** "model", "evidence_only", "not_found", "search_results" or "chat". */
    public static String kind(AskResponse response) {
        return response.kind().name().toLowerCase(Locale.ROOT);
    }

    /** The passages, each flagged {@code cited} when its number is in {@code cited}. */
    public static ArrayNode sources(List<Source> sources, Set<Integer> cited) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (Source source : sources) {
            array.add(PassageJson.source(source, cited.contains(source.number())));
        }
        return array;
    }

    /** The numbers of the sources the answer cites (search mode: every result). */
    public static Set<Integer> citedNumbers(AskResponse response) {
        Set<Integer> cited = new HashSet<>();
        response.sources().forEach(s -> cited.add(s.number()));
        return cited;
    }

    /** Search mode lists its results; the other modes every passage given to the model (or shown). */
    private static ArrayNode listed(AskResponse response) {
        List<Source> shown = response.mode() == AskMode.SEARCH ? response.sources() : response.evidence();
        return sources(shown, citedNumbers(response));
    }
}
