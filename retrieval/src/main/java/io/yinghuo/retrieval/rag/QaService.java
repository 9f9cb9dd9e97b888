package io.yinghuo.retrieval.rag;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.rag.AugmentationRequest;
import dev.langchain4j.rag.content.Content;
import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.index.DocumentRecord;
import io.yinghuo.retrieval.langchain4j.ChineseBm25ContentRetriever;
import io.yinghuo.retrieval.search.ChunkSearcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Question answering over the documents of an index, for the command line and the web app: {@link #ask} rewrites,
 * splits, retrieves and packs the evidence ({@link CitedRetrievalAugmentor}), streams the model's answer, and ends
 * with the sources the answer actually cites.
 *
 * <pre>{@code
 * QaService qa = QaService.builder()
 *         .index(index)                                    // ChunkIndex of the data folder
 *         .chatModel(streamingModel)                       // optional: without it, ask answers with passages
 *         .tokenCountEstimator(streamingModel.tokenCountEstimator())
 *         .contextTokens(streamingModel.contextLength())
 *         .build();
 * AskHandle handle = qa.ask(AskRequest.ask("《红楼梦》和《西游记》的作者分别是谁？"), new AnswerListener() {
 *     public void onToken(String text) { send(text); }
 *     public void onComplete(AskResponse response) { send(response.sources()); }
 * });
 * }</pre>
 *
 * <p>Modes: {@link AskMode#ASK} answers from the evidence (when nothing relevant is found it says
 * {@value EvidencePrompt#NOT_FOUND} without asking the model; without a model it quotes the best passages, marked
 * as such); {@link AskMode#SEARCH} returns the passages; {@link AskMode#CHAT} asks the model alone. Thread-safe:
 * questions may come from many threads (the model queues its generations).
 */
public final class QaService {

    /** The system prompt for answers from documents (the model's default one is about being helpful in general). */
    public static final String DEFAULT_SYSTEM_PROMPT = "You are a helpful assistant. 你是一个乐于助人的助手。"
            + "你根据用户提供的资料回答问题，回答简洁准确，并用方括号中的编号注明出处。";

    static final String EVIDENCE_ONLY_NOTE = "（未加载模型：以下是与问题最相关的原文段落，原样摘录，不是模型生成的回答。）";
    static final int DEFAULT_SEARCH_RESULTS = 5;
    static final int EVIDENCE_ONLY_PASSAGES_PER_PART = 2;
    private static final int EXCERPT_CHARS = 160;

    private final ChunkSearcher searcher;
    private final Supplier<List<NamedDocument>> catalogue;
    private final StreamingChatModel model;
    private final TokenCountEstimator estimator;
    private final int contextTokens;
    private final int defaultAnswerTokens;
    private final int resultsPerQuery;
    private final int maxPassages;
    private final double minCoverage;
    private final String systemPrompt;
    private final KeyTerms keyTerms;

    private QaService(Builder b) {
        this.keyTerms = b.keyTerms;
        this.searcher = b.searcher;
        this.catalogue = b.catalogue;
        this.model = b.model;
        this.estimator = Objects.requireNonNull(b.estimator, "a tokenCountEstimator is required: it counts the"
                + " context budget with the model's tokenizer");
        this.contextTokens = b.contextTokens;
        this.defaultAnswerTokens = b.answerTokens;
        this.resultsPerQuery = b.resultsPerQuery;
        this.maxPassages = b.maxPassages;
        this.minCoverage = b.minCoverage;
        this.systemPrompt = b.systemPrompt;
        if (defaultAnswerTokens >= contextTokens) {
            throw new IllegalArgumentException("the answer room (" + defaultAnswerTokens + " tokens) must be smaller"
                    + " than the context (" + contextTokens + ")");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether a model is attached (without one, ask mode answers with passages and chat mode is refused). */
    public boolean hasModel() {
        return model != null;
    }

    public int contextTokens() {
        return contextTokens;
    }

    /** Asks and waits for the complete response. */
    public AskResponse ask(AskRequest request) {
        AskHandle handle = ask(request, AnswerListener.NONE);
        try {
            return handle.result().join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /**
     * Starts a question. Retrieval and packing run on the calling thread (errors there are thrown, not sent to the
     * listener); the model's answer streams to {@code listener} from the model's thread. Without a model, or when
     * nothing relevant is found, the listener has received everything when this returns.
     *
     * @throws IllegalArgumentException for chat mode without a model, or a question that cannot fit the context
     */
    public AskHandle ask(AskRequest request, AnswerListener listener) {
        Objects.requireNonNull(listener, "listener");
        AskHandle handle = new AskHandle();
        listener.onStart(handle);
        long start = System.nanoTime();
        int answerTokens = answerTokens(request.parameters());
        if (request.mode() == AskMode.CHAT) {
            chat(request, answerTokens, listener, handle, start);
            return handle;
        }
        if (searcher == null) {
            throw new IllegalArgumentException(request.mode().label() + " mode needs documents, and this service"
                    + " has no index");
        }
        CitedRetrievalAugmentor augmentor = augmentor(request, answerTokens);
        // Counted even without a model, so that the evidence is what a model with this prompt would get.
        SystemMessage system = SystemMessage.from(systemPrompt);
        List<ChatMessage> history = messages(request.history());
        UserMessage question = UserMessage.from(request.question().strip());
        CitedRetrievalAugmentor.Augmentation augmentation = augmentor.prepare(new AugmentationRequest(question,
                RagQueries.metadata(question, system, history,
                        RagQueries.parameters(request.docIds(), request.collections()))));
        PackedContext context = augmentation.context();
        double retrievalMillis = (System.nanoTime() - start) / 1e6;

        if (request.mode() == AskMode.SEARCH) {
            int limit = request.maxSources() > 0 ? request.maxSources() : DEFAULT_SEARCH_RESULTS;
            List<Source> results = new ArrayList<>();
            for (Content content : augmentation.candidates().subList(0,
                    Math.min(limit, augmentation.candidates().size()))) {
                Integer part = content.textSegment().metadata().getInteger(Evidence.PART);
                results.add(Source.of(new Evidence(results.size() + 1, part == null ? 0 : part, content)));
            }
            listener.onEvidence(augmentation.standalone(), augmentation.parts(), results);
            finish(handle, listener, new AskResponse(AskMode.SEARCH, AnswerKind.SEARCH_RESULTS, request.question(),
                    augmentation.standalone(), augmentation.parts(), results.isEmpty() ? EvidencePrompt.NOT_FOUND : "",
                    results, results, List.of(), 0, context.budgetTokens(), "", retrievalMillis, 0));
            return handle;
        }

        List<Source> evidence = context.evidence().stream().map(Source::of).toList();
        listener.onEvidence(augmentation.standalone(), augmentation.parts(), evidence);
        if (context.evidence().isEmpty() && !augmentation.candidates().isEmpty()) {
            // Relevant passages exist but none fits: saying "not found" would be false.
            throw new IllegalArgumentException("relevant passages were found, but none fits the context: "
                    + context.promptTokens() + " of " + context.budgetTokens() + " prompt tokens are taken by the"
                    + " instructions, question and history; give the model a longer context or keep less room for"
                    + " the answer");
        }
        if (context.evidence().isEmpty()) {
            listener.onToken(EvidencePrompt.NOT_FOUND);
            finish(handle, listener, new AskResponse(AskMode.ASK, AnswerKind.NOT_FOUND, request.question(),
                    augmentation.standalone(), augmentation.parts(), EvidencePrompt.NOT_FOUND, List.of(), List.of(),
                    List.of(), 0, context.budgetTokens(), "", retrievalMillis, 0));
            return handle;
        }
        if (model == null) {
            String answer = evidenceOnlyAnswer(context.evidence(), augmentation.parts());
            listener.onToken(answer);
            List<Source> cited = Citations.cited(answer, context.evidence()).stream().map(Source::of).toList();
            finish(handle, listener, new AskResponse(AskMode.ASK, AnswerKind.EVIDENCE_ONLY, request.question(),
                    augmentation.standalone(), augmentation.parts(), answer, cited, evidence, List.of(), 0,
                    context.budgetTokens(), "", retrievalMillis, 0));
            return handle;
        }
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(system);
        messages.addAll(context.history());
        messages.add(context.message());
        stream(messages, request.parameters(), listener, handle, (text, finishReason, answerMillis) -> {
            List<Source> cited = Citations.cited(text, context.evidence()).stream().map(Source::of).toList();
            return new AskResponse(AskMode.ASK, AnswerKind.MODEL, request.question(), augmentation.standalone(),
                    augmentation.parts(), text, cited, evidence,
                    Citations.unknown(text, context.evidence().size()), context.promptTokens(),
                    context.budgetTokens(), finishReason, retrievalMillis, answerMillis);
        });
        return handle;
    }

    /** The augmentor for one request: the catalogue and budget are per request (documents come and go). */
    private CitedRetrievalAugmentor augmentor(AskRequest request, int answerTokens) {
        int maxContents = request.maxSources() > 0 ? request.maxSources() : maxPassages;
        if (request.mode() == AskMode.SEARCH) {
            maxContents = Math.max(maxContents, request.maxSources() > 0 ? request.maxSources()
                    : DEFAULT_SEARCH_RESULTS);
        }
        return CitedRetrievalAugmentor.builder()
                .queryTransformer(ChineseQueryTransformer.builder().catalogue(catalogue).build())
                .contentRetriever(ChineseBm25ContentRetriever.builder().searcher(searcher)
                        .maxResults(resultsPerQuery).dynamicFilter(RagQueries::filter).build())
                .contentAggregator(PartQuotaContentAggregator.builder().maxContents(maxContents)
                        .minCoverage(minCoverage).keyTerms(keyTerms).build())
                .contentInjector(CitingContentInjector.builder().tokenCountEstimator(estimator)
                        .contextTokens(contextTokens).answerTokens(answerTokens).build())
                .build();
    }

    private void chat(AskRequest request, int answerTokens, AnswerListener listener, AskHandle handle, long start) {
        if (model == null) {
            throw new IllegalArgumentException("chat mode needs a model (none is loaded)");
        }
        List<ChatMessage> history = messages(request.history());
        UserMessage question = UserMessage.from(request.question().strip());
        // Leave the oldest exchanges out until the conversation and the answer fit, as the packer does for ask.
        int budget = contextTokens - answerTokens - 16;
        while (!history.isEmpty() && estimator.estimateTokenCountInMessages(withQuestion(history, question)) > budget) {
            int n = 1;
            while (n < history.size() && !(history.get(n - 1) instanceof AiMessage)) {
                n++;
            }
            history.subList(0, n).clear();
        }
        int promptTokens = estimator.estimateTokenCountInMessages(withQuestion(history, question));
        if (promptTokens > budget) {
            throw new IllegalArgumentException("the question does not fit: it takes " + promptTokens + " tokens, but a"
                    + " context of " + contextTokens + " tokens with " + answerTokens + " kept for the answer leaves"
                    + " room for " + budget);
        }
        listener.onEvidence(request.question(), List.of(request.question()), List.of());
        double setupMillis = (System.nanoTime() - start) / 1e6;
        stream(withQuestion(history, question), request.parameters(), listener, handle,
                (text, finishReason, answerMillis) -> new AskResponse(AskMode.CHAT, AnswerKind.CHAT,
                        request.question(), request.question(), List.of(request.question()), text, List.of(),
                        List.of(), List.of(), promptTokens, budget, finishReason, setupMillis, answerMillis));
    }

    private static List<ChatMessage> withQuestion(List<ChatMessage> history, UserMessage question) {
        List<ChatMessage> all = new ArrayList<>(history);
        all.add(question);
        return all;
    }

    private interface ResponseMaker {
        AskResponse make(String text, String finishReason, double answerMillis);
    }

    private void stream(List<ChatMessage> messages, ChatRequestParameters parameters, AnswerListener listener,
                        AskHandle handle, ResponseMaker maker) {
        ChatRequest.Builder request = ChatRequest.builder().messages(messages);
        if (parameters != null) {
            request.parameters(parameters);
        }
        long start = System.nanoTime();
        StringBuilder text = new StringBuilder();
        model.chat(request.build(), new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                if (handle.isCancelled()) {
                    context.streamingHandle().cancel();
                    // LangChain4j sends nothing after cancel(): the answer so far is the answer.
                    finish(handle, listener, maker.make(text.toString(), "cancelled",
                            (System.nanoTime() - start) / 1e6));
                    return;
                }
                text.append(partial.text());
                listener.onToken(partial.text());
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                String answer = response.aiMessage().text() == null ? text.toString() : response.aiMessage().text();
                String reason = response.finishReason() == null ? ""
                        : response.finishReason().name().toLowerCase(Locale.ROOT);
                finish(handle, listener, maker.make(answer, reason, (System.nanoTime() - start) / 1e6));
            }

            @Override
            public void onError(Throwable error) {
                if (handle.future().completeExceptionally(error)) {
                    listener.onError(error);
                }
            }
        });
    }

    private static void finish(AskHandle handle, AnswerListener listener, AskResponse response) {
        if (handle.future().complete(response)) {
            listener.onComplete(response);
        }
    }

    /**
     * The no-model answer: the note that these are passages, then the best passages of each part (at most
     * {@value #EVIDENCE_ONLY_PASSAGES_PER_PART} per part) as "[n] label：excerpt", so that they are cited like a
     * model's answer would cite them.
     */
    String evidenceOnlyAnswer(List<Evidence> evidence, List<String> parts) {
        StringBuilder answer = new StringBuilder(EVIDENCE_ONLY_NOTE).append('\n');
        int[] shown = new int[Math.max(1, parts.size())];
        EvidencePrompt prompt = new EvidencePrompt();
        for (Evidence e : evidence) {
            int part = Math.min(e.part(), shown.length - 1);
            if (shown[part] >= EVIDENCE_ONLY_PASSAGES_PER_PART) {
                continue;
            }
            shown[part]++;
            String partText = parts.isEmpty() ? "" : parts.get(part);
            answer.append('[').append(e.number()).append("] ").append(prompt.label(e)).append("：")
                    .append(excerpt(e.text(), QueryCoverage.of(partText))).append('\n');
        }
        return answer.toString().stripTrailing();
    }

    /** About {@value #EXCERPT_CHARS} characters from the sentence where the part's words first appear. */
    static String excerpt(String text, QueryCoverage coverage) {
        String flat = text.replace('\n', ' ').strip();
        if (flat.length() <= EXCERPT_CHARS) {
            return flat;
        }
        int first = flat.length();
        String folded = io.yinghuo.retrieval.analysis.ChineseTextNormalizer.fold(flat).toLowerCase(Locale.ROOT);
        for (String unit : coverage.terms()) {
            int at = folded.indexOf(unit);
            if (at >= 0 && at < first) {
                first = at;
            }
        }
        if (first == flat.length()) {
            first = 0;
        }
        int start = first;
        while (start > 0 && first - start < 60 && "。！？；\n".indexOf(flat.charAt(start - 1)) < 0) {
            start--;
        }
        int end = Math.min(flat.length(), start + EXCERPT_CHARS);
        return (start > 0 ? "…" : "") + flat.substring(start, end) + (end < flat.length() ? "…" : "");
    }

    private static List<ChatMessage> messages(List<Turn> history) {
        List<ChatMessage> messages = new ArrayList<>(history.size() * 2);
        for (Turn turn : history) {
            messages.add(UserMessage.from(turn.user()));
            messages.add(AiMessage.from(turn.assistant()));
        }
        return messages;
    }

    private int answerTokens(ChatRequestParameters parameters) {
        Integer max = parameters == null ? null : parameters.maxOutputTokens();
        if (max == null) {
            return defaultAnswerTokens;
        }
        if (max < 1 || max >= contextTokens) {
            throw new IllegalArgumentException("maxOutputTokens must be between 1 and the context (" + contextTokens
                    + "), got " + max);
        }
        return max;
    }

    public static final class Builder {
        private ChunkSearcher searcher;
        private Supplier<List<NamedDocument>> catalogue = List::of;
        private StreamingChatModel model;
        private TokenCountEstimator estimator;
        private int contextTokens = 4096;
        private int answerTokens = 512;
        private int resultsPerQuery = 8;
        private int maxPassages = 16;
        private double minCoverage = 0.35;
        private String systemPrompt = DEFAULT_SYSTEM_PROMPT;
        private KeyTerms keyTerms = KeyTerms.BIGRAMS;

        private Builder() {
        }

        /** Key terms for the relevance floor; {@link #index} sets the index's own ({@link KeyTerms#ofIndex}). */
        public Builder keyTerms(KeyTerms value) {
            this.keyTerms = Objects.requireNonNull(value);
            return this;
        }

        /** The index to answer from: its searcher, and its catalogue for questions that name documents. */
        public Builder index(ChunkIndex index) {
            this.searcher = new ChunkSearcher(index);
            this.catalogue = () -> catalogueOf(index);
            this.keyTerms = KeyTerms.ofIndex(index);
            return this;
        }

        /**
         * A searcher to share (e.g. the ingest pipeline's); set after {@link #index} to replace its own. Without an
         * index or searcher only chat mode works.
         */
        public Builder searcher(ChunkSearcher value) {
            this.searcher = value;
            return this;
        }

        public Builder catalogue(Supplier<List<NamedDocument>> value) {
            this.catalogue = Objects.requireNonNull(value);
            return this;
        }

        /** The model that answers; null = none (ask answers with passages, chat is refused). */
        public Builder chatModel(StreamingChatModel value) {
            this.model = value;
            return this;
        }

        /** Counts tokens as the model will (the provider's {@code tokenCountEstimator()}). */
        public Builder tokenCountEstimator(TokenCountEstimator value) {
            this.estimator = value;
            return this;
        }

        /** The model's context (default 4096; 16384 with RoPE scaling). */
        public Builder contextTokens(int value) {
            this.contextTokens = value;
            return this;
        }

        /** Room kept for the answer when the request does not set maxOutputTokens (default 512). */
        public Builder answerTokens(int value) {
            this.answerTokens = value;
            return this;
        }

        /** Passages retrieved per query (per part, per named document; default 8). */
        public Builder resultsPerQuery(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("resultsPerQuery must be at least 1, got " + value);
            }
            this.resultsPerQuery = value;
            return this;
        }

        /** Passages offered to the packer at most, over all parts (default 16). */
        public Builder maxPassages(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxPassages must be at least 1, got " + value);
            }
            this.maxPassages = value;
            return this;
        }

        /** Relevance floor, see {@link PartQuotaContentAggregator.Builder#minCoverage} (default 0.35). */
        public Builder minCoverage(double value) {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException("minCoverage must be in [0, 1], got " + value);
            }
            this.minCoverage = value;
            return this;
        }

        /** The system prompt sent with document questions (default {@link #DEFAULT_SYSTEM_PROMPT}). */
        public Builder systemPrompt(String value) {
            this.systemPrompt = Objects.requireNonNull(value);
            return this;
        }

        public QaService build() {
            return new QaService(this);
        }
    }

    static List<NamedDocument> catalogueOf(ChunkIndex index) {
        List<NamedDocument> documents = new ArrayList<>();
        for (DocumentRecord record : index.documents()) {
            documents.add(NamedDocument.of(record.docId(), record.title(), record.fileName()));
        }
        return documents;
    }
}
