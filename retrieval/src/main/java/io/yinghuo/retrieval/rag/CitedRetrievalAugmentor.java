package io.yinghuo.retrieval.rag;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.rag.AugmentationRequest;
import dev.langchain4j.rag.AugmentationResult;
import dev.langchain4j.rag.RetrievalAugmentor;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.aggregator.ContentAggregator;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.query.Metadata;
import dev.langchain4j.rag.query.Query;
import dev.langchain4j.rag.query.router.DefaultQueryRouter;
import dev.langchain4j.rag.query.router.QueryRouter;
import dev.langchain4j.rag.query.transformer.QueryTransformer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A LangChain4j {@link RetrievalAugmentor} for questions over many documents with checkable citations: the question
 * is made standalone and split into parts ({@link ChineseQueryTransformer}), each part is retrieved on its own, the
 * parts share the context ({@link PartQuotaContentAggregator}) and the evidence is packed, numbered and labelled
 * within the model's token budget ({@link CitingContentInjector}).
 *
 * <pre>{@code
 * RetrievalAugmentor augmentor = CitedRetrievalAugmentor.builder()
 *         .contentRetriever(ChineseContentRetriever.builder().searcher(searcher)
 *                 .dynamicFilter(RagQueries::filter).maxResults(8).build())
 *         .contentInjector(CitingContentInjector.builder()
 *                 .tokenCountEstimator(chatModel.tokenCountEstimator())
 *                 .contextTokens(chatModel.contextLength()).answerTokens(512).build())
 *         .build();
 * Assistant assistant = AiServices.builder(Assistant.class).chatModel(chatModel)
 *         .retrievalAugmentor(augmentor).build();
 * }</pre>
 *
 * The result's contents are the evidence in number order: {@code [n]} in the answer is {@code contents().get(n - 1)}
 * (also under {@link Evidence#NUMBER} in its text segment's metadata), so {@code Result.sources()} of an AI service
 * maps citations directly; {@link Citations} parses them.
 *
 * <p>Inside an AI service, the budget counts the system message and chat memory the request metadata carries; the
 * chat memory is sent by the AI service itself, so should it outgrow its half of the budget, the provider leaves
 * the oldest exchanges out (Yinghuo's models do). Queries run one after another on the calling thread: BM25 over a
 * local index answers in milliseconds, and no thread pool is left behind.
 */
public final class CitedRetrievalAugmentor implements RetrievalAugmentor {

    private final QueryTransformer transformer;
    private final QueryRouter router;
    private final ContentAggregator aggregator;
    private final CitingContentInjector injector;

    private CitedRetrievalAugmentor(Builder builder) {
        this.transformer = builder.transformer != null ? builder.transformer : ChineseQueryTransformer.builder().build();
        this.router = Objects.requireNonNull(builder.router, "a contentRetriever or queryRouter is required");
        this.aggregator = builder.aggregator != null ? builder.aggregator : PartQuotaContentAggregator.builder().build();
        this.injector = Objects.requireNonNull(builder.injector, "a contentInjector (CitingContentInjector) is"
                + " required: it counts the token budget with the model's tokenizer");
    }

    public static Builder builder() {
        return new Builder();
    }

    public CitingContentInjector injector() {
        return injector;
    }

    @Override
    public AugmentationResult augment(AugmentationRequest request) {
        Augmentation augmentation = prepare(request);
        List<Content> contents = new ArrayList<>();
        for (Evidence evidence : augmentation.context().evidence()) {
            contents.add(evidence.content());
        }
        return AugmentationResult.builder().chatMessage(augmentation.context().message()).contents(contents).build();
    }

    /** Everything the augmentation found out, for callers that need more than the message (citations, eval). */
    public record Augmentation(String question, String standalone, List<String> parts, List<Content> candidates,
                               PackedContext context) {
        public Augmentation {
            parts = List.copyOf(parts);
            candidates = List.copyOf(candidates);
        }
    }

    public Augmentation prepare(AugmentationRequest request) {
        if (!(request.chatMessage() instanceof UserMessage user) || !user.hasSingleText()) {
            throw new IllegalArgumentException("only a text user message can be augmented, got "
                    + request.chatMessage().type());
        }
        Metadata metadata = request.metadata();
        Query original = Query.from(user.singleText(), metadata);
        String standalone;
        List<String> parts;
        Collection<Query> queries;
        if (transformer instanceof ChineseQueryTransformer chinese) {
            ChineseQueryTransformer.Plan plan = chinese.plan(original);
            standalone = plan.standalone();
            parts = plan.parts().stream().map(QuestionPart::text).toList();
            queries = plan.queries();
        } else {
            queries = transformer.transform(original);
            standalone = user.singleText();
            parts = new ArrayList<>(new LinkedHashSet<>(queries.stream().map(Query::text).toList()));
        }
        Map<Query, Collection<List<Content>>> retrieved = new LinkedHashMap<>();
        for (Query query : queries) {
            List<List<Content>> lists = new ArrayList<>();
            for (ContentRetriever retriever : router.route(query)) {
                lists.add(retriever.retrieve(query));
            }
            retrieved.merge(query, lists, (a, b) -> {
                List<List<Content>> both = new ArrayList<>(a);
                both.addAll(b);
                return both;
            });
        }
        List<Content> candidates = aggregator.aggregate(retrieved);
        SystemMessage system = metadata == null ? null : metadata.systemMessage();
        List<ChatMessage> history = metadata == null || metadata.chatMemory() == null ? List.of()
                : withoutCurrent(metadata.chatMemory(), user);
        PackedContext context = injector.pack(candidates, user, system, history, parts);
        return new Augmentation(user.singleText(), standalone, parts, candidates, context);
    }

    /** The chat memory without its system message and without the current message (AiServices may include both). */
    private static List<ChatMessage> withoutCurrent(List<ChatMessage> memory, UserMessage current) {
        List<ChatMessage> history = new ArrayList<>();
        for (ChatMessage message : memory) {
            if (!(message instanceof SystemMessage)) {
                history.add(message);
            }
        }
        if (!history.isEmpty() && history.get(history.size() - 1).equals(current)) {
            history.remove(history.size() - 1);
        }
        return history;
    }

    public static final class Builder {
        private QueryTransformer transformer;
        private QueryRouter router;
        private ContentAggregator aggregator;
        private CitingContentInjector injector;

        private Builder() {
        }

        /** Default: {@link ChineseQueryTransformer} with no document catalogue. */
        public Builder queryTransformer(QueryTransformer value) {
            this.transformer = value;
            return this;
        }

        public Builder contentRetriever(ContentRetriever value) {
            this.router = new DefaultQueryRouter(Objects.requireNonNull(value, "contentRetriever"));
            return this;
        }

        /** Several retrievers (e.g. BM25 and dense): the aggregator fuses their rankings per part. */
        public Builder queryRouter(QueryRouter value) {
            this.router = value;
            return this;
        }

        /** Default: {@link PartQuotaContentAggregator} with its defaults. */
        public Builder contentAggregator(ContentAggregator value) {
            this.aggregator = value;
            return this;
        }

        public Builder contentInjector(CitingContentInjector value) {
            this.injector = value;
            return this;
        }

        public CitedRetrievalAugmentor build() {
            return new CitedRetrievalAugmentor(this);
        }
    }
}
