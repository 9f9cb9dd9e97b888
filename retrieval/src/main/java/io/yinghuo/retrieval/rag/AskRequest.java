package io.yinghuo.retrieval.rag;

import dev.langchain4j.model.chat.request.ChatRequestParameters;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A question to {@link QaService}.
 *
 * @param question    the question as the user typed it
 * @param history     earlier exchanges of the conversation, oldest first (follow-ups are made standalone from them)
 * @param docIds      only these documents (empty = all)
 * @param collections only these collections (empty = all)
 * @param mode        ask, search or chat
 * @param maxSources  the most evidence passages to use (ask) or return (search); 0 = as many as fit the budget
 *                    (ask) or 5 (search)
 * @param parameters  sampling for the model (temperature, topP, maxOutputTokens…; a provider's own subclass such
 *                    as {@code YinghuoChatRequestParameters} adds seed and repetition penalty); null = the model's
 *                    defaults. {@code maxOutputTokens} also sets the room kept for the answer
 */
public record AskRequest(String question, List<Turn> history, Set<String> docIds, Set<String> collections,
                         AskMode mode, int maxSources, ChatRequestParameters parameters) {

    /** Search results when {@link #maxSources} is 0. */
    static final int DEFAULT_SEARCH_RESULTS = 5;

    public AskRequest {
        Objects.requireNonNull(question, "question");
        if (question.isBlank()) {
            throw new IllegalArgumentException("the question is empty");
        }
        history = List.copyOf(history);
        docIds = Set.copyOf(docIds);
        collections = Set.copyOf(collections);
        Objects.requireNonNull(mode, "mode");
        if (maxSources < 0) {
            throw new IllegalArgumentException("maxSources must be >= 0, got " + maxSources);
        }
    }

    /** How many passages search mode returns. */
    int searchResults() {
        return maxSources > 0 ? maxSources : DEFAULT_SEARCH_RESULTS;
    }

    /** A RAG question over all documents, with no history and the model's default sampling. */
    public static AskRequest ask(String question) {
        return new AskRequest(question, List.of(), Set.of(), Set.of(), AskMode.ASK, 0, null);
    }

    public AskRequest withMode(AskMode value) {
        return new AskRequest(question, history, docIds, collections, value, maxSources, parameters);
    }

    public AskRequest withHistory(List<Turn> value) {
        return new AskRequest(question, value, docIds, collections, mode, maxSources, parameters);
    }

    public AskRequest withDocIds(Set<String> value) {
        return new AskRequest(question, history, value, collections, mode, maxSources, parameters);
    }

    public AskRequest withCollections(Set<String> value) {
        return new AskRequest(question, history, docIds, value, mode, maxSources, parameters);
    }

    public AskRequest withMaxSources(int value) {
        return new AskRequest(question, history, docIds, collections, mode, value, parameters);
    }

    public AskRequest withParameters(ChatRequestParameters value) {
        return new AskRequest(question, history, docIds, collections, mode, maxSources, value);
    }
}
