package io.yinghuo.web.ask;

import dev.langchain4j.model.scoring.ScoringModel;
import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.rag.AnswerListener;
import io.yinghuo.retrieval.rag.AskHandle;
import io.yinghuo.retrieval.rag.AskMode;
import io.yinghuo.retrieval.rag.AskRequest;
import io.yinghuo.retrieval.rag.AskResponse;
import io.yinghuo.retrieval.rag.QaService;
import io.yinghuo.retrieval.rag.QaServiceBuilder;
import io.yinghuo.retrieval.rag.Source;
import io.yinghuo.retrieval.search.ChunkSearcher;
import io.yinghuo.web.ApiException;
import io.yinghuo.web.generation.GenerationQueue;
import io.yinghuo.web.generation.ModelService;
import io.yinghuo.web.generation.QueuedGeneration;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The web side of question answering: runs the RAG {@link QaService} (rewriting, splitting, retrieval, packing,
 * cited answers with their sources marked, evidence-only answers without a model) for one HTTP request, behind the fair
 * {@link GenerationQueue} whenever the model will be asked, and relays its events to an {@link AnswerSink} from
 * the request's own thread (the service calls back on the model's worker thread, which must never wait for a
 * client).
 */
public final class AskService {

    /** Without a model there is no tokenizer context; evidence is packed against this budget. */
    static final int CONTEXT_WITHOUT_MODEL = 4096;
    private static final long TICK_MILLIS = 1000;
    /** The margin the RAG pipeline keeps between the prompt, the answer and the context (its default). */
    private static final int SAFETY_TOKENS = 16;

    private final ChunkStore index;
    private final ChunkSearcher searcher;
    private final ModelService models;
    private final ScoringModel reranker;

    public AskService(ChunkStore index, ChunkSearcher searcher, ModelService models) {
        this(index, searcher, models, null);
    }

    /** With a reranker for the RAG pipeline ({@link QaServiceBuilder#scoringModel}; null = none). */
    public AskService(ChunkStore index, ChunkSearcher searcher, ModelService models, ScoringModel reranker) {
        this.index = index;
        this.searcher = searcher;
        this.models = models;
        this.reranker = reranker;
    }

    /** What must hold before a response starts, so that no stream is opened for a request that cannot be served. */
    public void precheck(AskBody body) {
        if (body.request().mode() == AskMode.CHAT) {
            models.streamingChat(); // 503 without a model
        }
        if (body.request().mode() != AskMode.SEARCH) {
            models.checkAvailable(); // remote servers all known down: a 503 before any stream byte
        }
        checkAnswerRoom(body, contextBudget(body)); // a 400 before any stream byte, not an error event in it
    }

    /** The tokens the prompt and the answer share: the body's context length, capped at the model's. */
    private int contextBudget(AskBody request) {
        if (models.loaded()) {
            int context = models.contextLength();
            return request.contextTokens() == null ? context : Math.min(request.contextTokens(), context);
        }
        return request.contextTokens() == null ? CONTEXT_WITHOUT_MODEL : request.contextTokens();
    }

    /**
     * Takes this question's place in the generation queue when it will ask the model, before its response starts,
     * so that a full queue is answered 503 rather than inside a stream.
     *
     * @return the place, to pass to {@link #answer(AskBody, GenerationQueue.Ticket, AnswerSink)}, or null when the
     *         answer needs no model
     * @throws ApiException 503 when the queue is full
     */
    public GenerationQueue.Ticket reserve(AskBody body) {
        boolean usesModel = models.loaded() && body.request().mode() != AskMode.SEARCH;
        return usesModel ? models.queue().enter() : null;
    }

    /** Gives back a place that {@link #reserve} took when the answer will not run. */
    public void release(GenerationQueue.Ticket ticket) {
        if (ticket != null) {
            models.queue().leave(ticket);
        }
    }

    public void answer(AskBody body, AnswerSink sink) throws IOException, InterruptedException {
        answer(body, reserve(body), sink);
    }

    /** Answers with the place {@link #reserve} took (null: no model needed), which it gives back in every case. */
    public void answer(AskBody body, GenerationQueue.Ticket ticket, AnswerSink sink)
            throws IOException, InterruptedException {
        QaService qa;
        try {
            qa = service(body);
        } catch (RuntimeException e) {
            release(ticket);
            throw e;
        }
        AskRequest question = body.request();
        if (ticket == null) {
            Relay relay = new Relay();
            run(qa, question, relay);
            drain(relay, sink);
            return;
        }
        GenerationQueue queue = models.queue();
        AskHandle handle = null;
        try {
            int lastAhead = -1;
            while (!queue.awaitTurn(ticket, TICK_MILLIS)) {
                int ahead = queue.ahead(ticket);
                if (ahead != lastAhead) {
                    sink.queued(ahead);
                    lastAhead = ahead;
                } else {
                    sink.heartbeat();
                }
            }
            sink.starting();
            Relay relay = new Relay();
            handle = run(qa, question, relay);
            drain(relay, sink);
        } catch (Throwable e) { // an Error too: the place is given back below, so the model must stop
            if (handle != null) {
                handle.cancel(); // the client has gone: stop the model at its next token
            }
            throw e;
        } finally {
            queue.leave(ticket);
        }
    }

    private static AskHandle run(QaService qa, AskRequest question, Relay relay) {
        try {
            return qa.ask(question, relay);
        } catch (RuntimeException e) {
            throw QueuedGeneration.translate(e);
        }
    }

    /** Writes the relayed events until the answer is complete. */
    private static void drain(Relay relay, AnswerSink sink) throws IOException, InterruptedException {
        while (true) {
            Object event = relay.events.poll(TICK_MILLIS, TimeUnit.MILLISECONDS);
            if (event == null) {
                sink.heartbeat();
            } else if (event instanceof Evidence evidence) {
                sink.retrieved(evidence.sources());
            } else if (event instanceof String token) {
                sink.token(token);
            } else if (event instanceof AskResponse response) {
                sink.done(response);
                return;
            } else if (event instanceof Throwable error) {
                throw QueuedGeneration.translate(error);
            }
        }
    }

    private QaService service(AskBody request) {
        QaServiceBuilder builder = QaService.builder().index(index).searcher(searcher).scoringModel(reranker);
        int budget = contextBudget(request);
        checkAnswerRoom(request, budget);
        if (models.loaded()) {
            // local or remote alike (a remote model counts with --tokenizer or a calibrated estimate)
            builder.chatModel(models.streamingChat()).tokenCountEstimator(models.tokenCountEstimator())
                    .contextTokens(budget).answerTokens(Math.min(budget / 2, models.defaultMaxOutputTokens()));
        } else {
            builder.tokenCountEstimator(new EstimatedTokens()).contextTokens(budget)
                    .answerTokens(Math.min(512, budget / 4));
        }
        return builder.build();
    }

    /**
     * Refuses a {@code max_tokens} that leaves no room for the prompt in a context of {@code contextTokens}, in
     * words a user can act on (the pipeline's own check speaks of budgets and margins).
     */
    static void checkAnswerRoom(AskBody request, int contextTokens) {
        Integer max = request.request().parameters() == null ? null
                : request.request().parameters().maxOutputTokens();
        int limit = contextTokens - SAFETY_TOKENS; // the pipeline keeps this margin and needs >= 1 prompt token
        if (max != null && max >= limit) {
            throw ApiException.badRequest("max_tokens", "The maximum answer length (" + max + ") does not fit in"
                    + " the context of " + contextTokens + " tokens; use at most " + (limit - 1))
                    .localized("error.max_tokens_exceed_context", max, limit, limit - 1);
        }
    }

    /** The passages retrieved, already marked by the pipeline. */
    private record Evidence(List<Source> sources) {
    }

    /** Queues the service's callbacks for the request thread; never blocks the model's thread. */
    private static final class Relay implements AnswerListener {
        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

        @Override
        public void onEvidence(String standalone, List<String> parts, List<Source> evidence) {
            events.add(new Evidence(evidence));
        }

        @Override
        public void onToken(String text) {
            events.add(text);
        }

        @Override
        public void onComplete(AskResponse response) {
            events.add(response);
        }

        @Override
        public void onError(Throwable error) {
            events.add(error);
        }
    }
}
