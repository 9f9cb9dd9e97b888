package io.yinghuo.retrieval.rag;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.rag.query.Query;
import dev.langchain4j.rag.query.transformer.QueryTransformer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A LangChain4j {@link QueryTransformer} for Chinese questions over documents: it makes a follow-up standalone from
 * the conversation ({@link FollowUpRewriter}, using the user messages of {@code query.metadata().chatMemory()}),
 * then splits it into parts ({@link QuestionSplitter}), and makes each part of a compound question standalone too. Each returned query carries its part index and named
 * documents in its invocation parameters ({@link RagQueries}); a part that names documents is searched inside each
 * of them and, when it names just one, everywhere as well (the named document may not hold the answer).
 *
 * <p>The queries come back in part order as a {@link List}; {@link CitedRetrievalAugmentor} keeps that order, and
 * {@link PartQuotaContentAggregator} reads the part index, so the parts survive a {@code DefaultRetrievalAugmentor}
 * (whose map loses the order) too.
 */
public final class ChineseQueryTransformer implements QueryTransformer {

    private final QuestionSplitter splitter = new QuestionSplitter();
    private final FollowUpRewriter rewriter = new FollowUpRewriter();
    private final Supplier<List<NamedDocument>> catalogue;
    private final boolean rewriteFollowUps;
    private final boolean splitQuestions;

    private ChineseQueryTransformer(Builder builder) {
        this.catalogue = builder.catalogue;
        this.rewriteFollowUps = builder.rewriteFollowUps;
        this.splitQuestions = builder.splitQuestions;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Collection<Query> transform(Query query) {
        return plan(query).queries();
    }

    /** What a question became: its standalone form, its parts and one or more queries per part. */
    public record Plan(String standalone, List<QuestionPart> parts, List<Query> queries) {
        public Plan {
            parts = List.copyOf(parts);
            queries = List.copyOf(queries);
        }
    }

    public Plan plan(Query query) {
        List<String> earlier = rewriteFollowUps ? earlierQuestions(query) : List.of();
        String standalone = rewriter.rewrite(query.text(), earlier);
        List<QuestionPart> parts = splitQuestions ? splitter.split(standalone, catalogue.get())
                : List.of(QuestionPart.of(standalone));
        if (parts.size() > 1 && !earlier.isEmpty()) {
            // "那清华大学呢？另外，…": a part may be a follow-up even when the whole question is not one.
            List<QuestionPart> rewritten = new ArrayList<>(parts.size());
            for (QuestionPart part : parts) {
                rewritten.add(new QuestionPart(rewriter.rewrite(part.text(), earlier), part.docIds()));
            }
            parts = rewritten;
        }
        List<Query> queries = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            QuestionPart part = parts.get(i);
            for (String doc : part.docIds()) {
                queries.add(RagQueries.partQuery(query, part.text(), i, Set.of(doc)));
            }
            if (part.docIds().size() <= 1) {
                queries.add(RagQueries.partQuery(query, part.text(), i, Set.of()));
            }
        }
        return new Plan(standalone, parts, queries);
    }

    private static List<String> earlierQuestions(Query query) {
        if (query.metadata() == null || query.metadata().chatMemory() == null) {
            return List.of();
        }
        List<String> questions = new ArrayList<>();
        for (ChatMessage message : query.metadata().chatMemory()) {
            if (message instanceof UserMessage user && user.hasSingleText()) {
                questions.add(user.singleText());
            }
        }
        // The memory may already hold the current message (AiServices adds it before augmenting).
        if (!questions.isEmpty() && questions.get(questions.size() - 1).strip().equals(query.text().strip())) {
            questions.remove(questions.size() - 1);
        }
        return questions;
    }

    public static final class Builder {
        private Supplier<List<NamedDocument>> catalogue = List::of;
        private boolean rewriteFollowUps = true;
        private boolean splitQuestions = true;

        private Builder() {
        }

        /** The documents a question may name (read at every question, so newly ingested ones count). */
        public Builder catalogue(Supplier<List<NamedDocument>> value) {
            this.catalogue = Objects.requireNonNull(value);
            return this;
        }

        public Builder rewriteFollowUps(boolean value) {
            this.rewriteFollowUps = value;
            return this;
        }

        public Builder splitQuestions(boolean value) {
            this.splitQuestions = value;
            return this;
        }

        public ChineseQueryTransformer build() {
            return new ChineseQueryTransformer(this);
        }
    }
}
