package io.yinghuo.retrieval.rag;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.invocation.InvocationParameters;
import dev.langchain4j.rag.query.Metadata;
import dev.langchain4j.rag.query.Query;
import io.yinghuo.retrieval.langchain4j.RetrievalFilter;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What travels with a {@link Query} through a LangChain4j pipeline, in its {@link InvocationParameters} (the
 * mechanism LangChain4j gives for per-call values such as the documents a user selected):
 * <ul>
 *   <li>{@value #DOCUMENT_IDS}: the documents the user selected (a collection of ids; absent or empty = all),</li>
 *   <li>{@value #COLLECTIONS}: the collections the user may read (absent or empty = all),</li>
 *   <li>{@value #PART}: which part of the question a query serves (set by {@link ChineseQueryTransformer}),</li>
 *   <li>{@value #PART_DOCUMENTS}: the documents that part names (searched inside them).</li>
 * </ul>
 * {@link #filter(Query)} turns them into the restriction a retriever applies; give it to
 * {@code ChineseContentRetriever.builder().dynamicFilter(RagQueries::filter)}.
 */
public final class RagQueries {

    public static final String DOCUMENT_IDS = "document_ids";
    public static final String COLLECTIONS = "collections";
    public static final String PART = "yinghuo.rag.part";
    public static final String PART_DOCUMENTS = "yinghuo.rag.part_documents";

    private RagQueries() {
    }

    /** The restriction for a query: the part's named documents within the user's selection. */
    public static RetrievalFilter filter(Query query) {
        Set<String> selected = strings(parameter(query, DOCUMENT_IDS));
        Set<String> collections = strings(parameter(query, COLLECTIONS));
        Set<String> named = strings(parameter(query, PART_DOCUMENTS));
        Set<String> docs = selected;
        if (!named.isEmpty()) {
            if (selected.isEmpty()) {
                docs = named;
            } else {
                Set<String> both = new LinkedHashSet<>(named);
                both.retainAll(selected);
                // A named document outside the user's selection is not searched: the selection is a boundary.
                docs = both.isEmpty() ? selected : both;
            }
        }
        return new RetrievalFilter(docs, collections);
    }

    /** The part index of a query made by {@link ChineseQueryTransformer}; 0 for any other query. */
    public static int part(Query query) {
        Object value = parameter(query, PART);
        return value instanceof Number n ? n.intValue() : 0;
    }

    /** Whether the query searches only inside documents its part names. */
    public static boolean restrictedToNamedDocuments(Query query) {
        return !strings(parameter(query, PART_DOCUMENTS)).isEmpty();
    }

    /**
     * Invocation parameters for a request: the selected documents and readable collections (null or empty = all).
     */
    public static InvocationParameters parameters(Collection<String> documentIds, Collection<String> collections) {
        Map<String, Object> map = new HashMap<>();
        if (documentIds != null && !documentIds.isEmpty()) {
            map.put(DOCUMENT_IDS, List.copyOf(documentIds));
        }
        if (collections != null && !collections.isEmpty()) {
            map.put(COLLECTIONS, List.copyOf(collections));
        }
        return new InvocationParameters(map);
    }

    /** Query metadata for a user message with a history, a system message (may be null) and parameters. */
    public static Metadata metadata(UserMessage message, dev.langchain4j.data.message.SystemMessage system,
                                    List<ChatMessage> history, InvocationParameters parameters) {
        return Metadata.builder()
                .chatMessage(message)
                .systemMessage(system)
                .chatMemory(history)
                .invocationContext(InvocationContext.builder().invocationParameters(parameters).build())
                .build();
    }

    /** A query for one part: {@code text}, with the original's metadata plus the part index and named documents. */
    static Query partQuery(Query original, String text, int part, Set<String> namedDocuments) {
        Metadata metadata = original.metadata();
        Map<String, Object> map = new HashMap<>();
        if (metadata != null && metadata.invocationContext() != null
                && metadata.invocationContext().invocationParameters() != null) {
            map.putAll(metadata.invocationContext().invocationParameters().asMap());
        }
        map.put(PART, part);
        if (namedDocuments.isEmpty()) {
            map.remove(PART_DOCUMENTS);
        } else {
            map.put(PART_DOCUMENTS, List.copyOf(namedDocuments));
        }
        InvocationParameters parameters = new InvocationParameters(map);
        InvocationContext context = metadata != null && metadata.invocationContext() != null
                ? metadata.invocationContext().toBuilder().invocationParameters(parameters).build()
                : InvocationContext.builder().invocationParameters(parameters).build();
        Metadata.Builder copy = Metadata.builder()
                .chatMessage(metadata != null && metadata.chatMessage() != null ? metadata.chatMessage()
                        : UserMessage.from(original.text()))
                .invocationContext(context);
        if (metadata != null) {
            copy.systemMessage(metadata.systemMessage()).chatMemory(metadata.chatMemory());
        }
        return Query.from(text, copy.build());
    }

    private static Object parameter(Query query, String key) {
        Metadata metadata = query.metadata();
        if (metadata == null || metadata.invocationContext() == null
                || metadata.invocationContext().invocationParameters() == null) {
            return null;
        }
        return metadata.invocationContext().invocationParameters().asMap().get(key);
    }

    private static Set<String> strings(Object value) {
        if (value == null) {
            return Set.of();
        }
        if (value instanceof Collection<?> c) {
            Set<String> out = new LinkedHashSet<>();
            for (Object o : c) {
                if (o != null) {
                    out.add(o.toString());
                }
            }
            return out;
        }
        if (value instanceof String s) {
            return s.isBlank() ? Set.of() : Set.of(s);
        }
        throw new IllegalArgumentException("invocation parameter must be a collection of strings, got "
                + value.getClass().getName());
    }
}
