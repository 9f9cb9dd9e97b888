package io.yinghuo.retrieval.rag;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.rag.AugmentationRequest;
import io.yinghuo.retrieval.search.ChunkSearcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;

/**
 * Question answering over the documents of an index, for the command line and the web app: {@link #ask} rewrites,
 * splits, retrieves and packs the evidence ({@link CitedRetrievalAugmentor}), streams the model's answer, and ends
 * with the sources the answer actually cites, the question's terms marked in each.
 *
 * <pre>{@code
 * QaService qa = QaService.builder()
 *         .index(index)                                    // ChunkStore: the data folder's ChunkIndex, or a cluster
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
 * as such: {@link EvidenceOnlyAnswer}); {@link AskMode#SEARCH} returns the passages; {@link AskMode#CHAT} asks the
 * model alone ({@link ChatConversation}). This class decides which of these happens; the pipeline, the answers and
 * the responses are built by the classes named. Thread-safe: questions may come from many threads (the model queues
 * its generations).
 */
public final class QaService {

    /** The system prompt for answers from documents (the model's default one is about being helpful in general). */
    public static final String DEFAULT_SYSTEM_PROMPT = "You are a helpful assistant. 你是一个乐于助人的助手。"
            + "你根据用户提供的资料回答问题，回答简洁准确，并用方括号中的编号注明出处。";

    private final ChunkSearcher searcher;
    private final StreamingChatModel model;
    private final TokenCountEstimator estimator;
    private final int contextTokens;
    private final int defaultAnswerTokens;
    private final String systemPrompt;
    private final AugmentorFactory augmentors;

    QaService(QaServiceBuilder settings) {
        this.searcher = settings.searcher;
        this.model = settings.model;
        this.estimator = settings.estimator;
        this.contextTokens = settings.contextTokens;
        this.defaultAnswerTokens = settings.answerTokens;
        this.systemPrompt = settings.systemPrompt;
        this.augmentors = settings.augmentors();
    }

    public static QaServiceBuilder builder() {
        return new QaServiceBuilder();
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
        } catch (CompletionException e) {
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
     * @throws IllegalArgumentException for chat mode without a model, document modes without an index, or a
     *                                  question that cannot fit the context
     */
    public AskHandle ask(AskRequest request, AnswerListener listener) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        AskHandle handle = new AskHandle();
        listener.onStart(handle);
        long start = System.nanoTime();
        int answerTokens = answerTokens(request.parameters());
        if (request.mode() == AskMode.CHAT) {
            chat(request, answerTokens, listener, handle, start);
        } else {
            fromDocuments(request, answerTokens, listener, handle, start);
        }
        return handle;
    }

    private void fromDocuments(AskRequest request, int answerTokens, AnswerListener listener, AskHandle handle,
                               long start) {
        if (searcher == null) {
            throw new IllegalArgumentException(request.mode().label() + " mode needs documents, and this service"
                    + " has no index");
        }
        // Counted even without a model, so that the evidence is what a model with this prompt would get.
        SystemMessage system = SystemMessage.from(systemPrompt);
        UserMessage question = UserMessage.from(request.question().strip());
        CitedRetrievalAugmentor.Augmentation augmentation = augmentors.forRequest(request, answerTokens)
                .prepare(new AugmentationRequest(question, RagQueries.metadata(question, system,
                        Turn.toMessages(request.history()),
                        RagQueries.parameters(request.docIds(), request.collections()))));
        PackedContext context = augmentation.context();
        ResponseFactory responses = new ResponseFactory(request, augmentation.standalone(), augmentation.parts(),
                context.budgetTokens(), StreamedAnswer.millisSince(start));
        AnswerSources sources = new AnswerSources(searcher.highlighter(augmentation.standalone()));

        if (request.mode() == AskMode.SEARCH) {
            List<Source> results = sources.searchResults(augmentation.candidates(), request.searchResults());
            listener.onEvidence(augmentation.standalone(), augmentation.parts(), results);
            handle.complete(listener, responses.searchResults(results));
            return;
        }
        List<Source> evidence = sources.of(context.evidence());
        listener.onEvidence(augmentation.standalone(), augmentation.parts(), evidence);
        if (evidence.isEmpty() && !augmentation.candidates().isEmpty()) {
            // Relevant passages exist but none fits: saying "not found" would be false.
            throw new IllegalArgumentException("relevant passages were found, but none fits the context: "
                    + context.promptTokens() + " of " + context.budgetTokens() + " prompt tokens are taken by the"
                    + " instructions, question and history; give the model a longer context or keep less room for"
                    + " the answer");
        }
        if (evidence.isEmpty()) {
            listener.onToken(EvidencePrompt.NOT_FOUND);
            handle.complete(listener, responses.notFound());
            return;
        }
        if (model == null) {
            String answer = EvidenceOnlyAnswer.write(context.evidence(), augmentation.parts());
            listener.onToken(answer);
            handle.complete(listener, responses.evidenceOnly(answer, evidence));
            return;
        }
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(system);
        messages.addAll(context.history());
        messages.add(context.message());
        StreamedAnswer.start(model, messages, request.parameters(), listener, handle,
                (text, finishReason, answerMillis) -> responses.model(text, evidence, context.promptTokens(),
                        finishReason, answerMillis));
    }

    private void chat(AskRequest request, int answerTokens, AnswerListener listener, AskHandle handle, long start) {
        if (model == null) {
            throw new IllegalArgumentException("chat mode needs a model (none is loaded)");
        }
        ChatConversation conversation = ChatConversation.fit(request.history(), request.question(), estimator,
                contextTokens, answerTokens);
        listener.onEvidence(request.question(), List.of(request.question()), List.of());
        ResponseFactory responses = ResponseFactory.forChat(request, conversation.budgetTokens(),
                StreamedAnswer.millisSince(start));
        StreamedAnswer.start(model, conversation.messages(), request.parameters(), listener, handle,
                (text, finishReason, answerMillis) -> responses.chat(text, conversation.promptTokens(),
                        finishReason, answerMillis));
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
}
