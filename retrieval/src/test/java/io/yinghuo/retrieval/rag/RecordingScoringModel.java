package io.yinghuo.retrieval.rag;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.scoring.ScoringModel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** A test reranker: scores each passage text with a function and records every call (query, passage texts). */
final class RecordingScoringModel implements ScoringModel {

    record Call(String query, List<String> texts) {
    }

    final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final ToDoubleFunction<String> score;

    RecordingScoringModel(ToDoubleFunction<String> score) {
        this.score = score;
    }

    /** Scores a passage by the first of {@code words} it contains: 1 for the first word, less for later ones, else 0. */
    static RecordingScoringModel preferring(String... words) {
        return new RecordingScoringModel(text -> {
            for (int i = 0; i < words.length; i++) {
                if (text.contains(words[i])) {
                    return 1.0 - i * 0.1;
                }
            }
            return 0;
        });
    }

    @Override
    public Response<List<Double>> scoreAll(List<TextSegment> segments, String query) {
        calls.add(new Call(query, segments.stream().map(TextSegment::text).toList()));
        return Response.from(segments.stream().map(s -> score.applyAsDouble(s.text())).toList());
    }
}
