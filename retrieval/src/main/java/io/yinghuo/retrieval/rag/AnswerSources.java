package io.yinghuo.retrieval.rag;

import dev.langchain4j.rag.content.Content;
import io.yinghuo.retrieval.search.Highlighter;

import java.util.ArrayList;
import java.util.List;

/**
 * The passages of one response as {@link Source}s, with the question's terms marked in each. Marking re-analyzes
 * the text of the passages already retrieved, once per passage, so that every client (command line, REST API,
 * browser) shows the same highlights without a second search; the sources an answer cites are the same objects as
 * its evidence.
 */
final class AnswerSources {

    private final Highlighter highlighter;

    /** @param highlighter marks the question that was searched (the standalone question) */
    AnswerSources(Highlighter highlighter) {
        this.highlighter = highlighter;
    }

    /** The evidence, in number order, as sources. */
    List<Source> of(List<Evidence> evidence) {
        List<Source> sources = new ArrayList<>(evidence.size());
        for (Evidence e : evidence) {
            sources.add(Source.of(e, highlighter));
        }
        return sources;
    }

    /** Search mode: the best {@code limit} candidates in rank order, numbered from 1. */
    List<Source> searchResults(List<Content> candidates, int limit) {
        List<Source> results = new ArrayList<>(Math.min(limit, candidates.size()));
        for (Content content : candidates.subList(0, Math.min(limit, candidates.size()))) {
            Integer part = content.textSegment().metadata().getInteger(Evidence.PART);
            results.add(Source.of(new Evidence(results.size() + 1, part == null ? 0 : part, content), highlighter));
        }
        return results;
    }
}
