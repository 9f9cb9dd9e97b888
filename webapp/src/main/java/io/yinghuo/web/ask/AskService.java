package io.yinghuo.web.ask;

import dev.langchain4j.model.chat.request.ChatRequestParameters;
import io.yinghuo.model.langchain4j.YinghuoChatRequestParameters;
import io.yinghuo.model.langchain4j.YinghuoStreamingChatModel;
import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.rag.AnswerListener;
import io.yinghuo.retrieval.rag.AskHandle;
import io.yinghuo.retrieval.rag.AskMode;
import io.yinghuo.retrieval.rag.AskResponse;
import io.yinghuo.retrieval.rag.QaService;
import io.yinghuo.retrieval.rag.Turn;
import io.yinghuo.retrieval.search.ChunkSearcher;
import io.yinghuo.retrieval.search.SearchHit;
import io.yinghuo.retrieval.search.SearchRequest;
import io.yinghuo.web.ApiException;
import io.yinghuo.web.generation.GenerationQueue;
import io.yinghuo.web.generation.ModelService;
import io.yinghuo.web.generation.QueuedGeneration;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The web side of question answering: runs the RAG {@link QaService} (rewriting, splitting, retrieval, packing,
 * cited answers, evidence-only answers without a model) for one HTTP request, behind the fair
 * {@link GenerationQueue} whenever the model will be asked, and relays its events to an {@link AnswerSink} from
 * the request's own thread (the service calls back on the model's worker thread, which must never wait for a
 * client).
 */
public final class AskService {

    /** Without a model there is no tokenizer context; evidence is packed against this budget. */
    static final int CONTEXT_WITHOUT_MODEL = 4096;
    private static final long TICK_MILLIS = 1000;

    private final ChunkIndex index;
    private final ChunkSearcher searcher;
    private final ModelService models;

    public AskService(ChunkIndex index, ChunkSearcher searcher, ModelService models) {
        this.index = index;
        this.searcher = searcher;
        this.models = models;
    }

    /** What must hold before a response starts, so that no stream is opened for a request that cannot be served. */
    public void precheck(AskRequest request) {
        if (request.mode() == AskRequest.Mode.CHAT) {
            models.chat(); // 503 without a model
        }
    }

    public void answer(AskRequest request, AnswerSink sink) throws IOException, InterruptedException {
        QaService qa = service(request);
        io.yinghuo.retrieval.rag.AskRequest question = toRag(request);
        boolean usesModel = models.loaded() && request.mode() != AskRequest.Mode.SEARCH;
        if (!usesModel) {
            Relay relay = new Relay();
            run(qa, question, relay);
            drain(relay, null, sink);
            return;
        }
        GenerationQueue queue = models.queue();
        GenerationQueue.Ticket ticket = queue.enter();
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
            Relay relay = new Relay();
            handle = run(qa, question, relay);
            drain(relay, handle, sink);
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (handle != null) {
                handle.cancel(); // the client has gone: stop the model at its next token
            }
            throw e;
        } finally {
            queue.leave(ticket);
        }
    }

    private static AskHandle run(QaService qa, io.yinghuo.retrieval.rag.AskRequest question, Relay relay) {
        try {
            return qa.ask(question, relay);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(null, e.getMessage());
        } catch (RuntimeException e) {
            throw QueuedGeneration.translate(e);
        }
    }

    /** Writes the relayed events until the answer is complete. */
    private void drain(Relay relay, AskHandle handle, AnswerSink sink) throws IOException, InterruptedException {
        List<io.yinghuo.retrieval.rag.Source> evidence = List.of();
        String standalone = null;
        while (true) {
            Object event = relay.events.poll(TICK_MILLIS, TimeUnit.MILLISECONDS);
            if (event == null) {
                sink.heartbeat();
            } else if (event instanceof EvidenceEvent e) {
                evidence = e.evidence();
                standalone = e.standalone();
                sink.retrieved(sources(evidence, Set.of(), standalone));
            } else if (event instanceof String token) {
                sink.token(token);
            } else if (event instanceof AskResponse response) {
                Set<Integer> cited = new HashSet<>();
                response.sources().forEach(s -> cited.add(s.number()));
                List<io.yinghuo.retrieval.rag.Source> all = response.mode() == AskMode.SEARCH ? response.sources()
                        : response.evidence();
                sink.done(new Answer(response, sources(all, cited, response.standalone())));
                return;
            } else if (event instanceof Throwable error) {
                throw QueuedGeneration.translate(error);
            }
        }
    }

    /**
     * The passages with the search's highlighted snippets: one search for the (standalone) question over the cited
     * documents finds the same chunks with their matches marked.
     */
    private List<Source> sources(List<io.yinghuo.retrieval.rag.Source> passages, Set<Integer> cited, String query)
            throws IOException {
        Map<String, SearchHit> hits = new HashMap<>();
        Set<String> docIds = new HashSet<>();
        passages.forEach(p -> docIds.add(p.docId()));
        if (!passages.isEmpty() && query != null && !query.isBlank()) {
            SearchRequest search = SearchRequest.of(query, Math.max(20, passages.size() * 3)).withDocIds(docIds);
            for (SearchHit hit : searcher.search(search)) {
                hits.putIfAbsent(hit.docId() + "#" + hit.chunkIndex(), hit);
            }
        }
        List<Source> sources = new ArrayList<>(passages.size());
        for (io.yinghuo.retrieval.rag.Source p : passages) {
            sources.add(new Source(p, hits.get(p.docId() + "#" + p.chunkIndex()), cited.contains(p.number())));
        }
        return sources;
    }

    private QaService service(AskRequest request) {
        QaService.Builder builder = QaService.builder().index(index).searcher(searcher);
        if (models.loaded()) {
            YinghuoStreamingChatModel chat = models.chat();
            int context = chat.contextLength();
            int budget = request.contextTokens() == null ? context : Math.min(request.contextTokens(), context);
            builder.chatModel(chat).tokenCountEstimator(chat.tokenCountEstimator()).contextTokens(budget)
                    .answerTokens(Math.min(budget / 2, chat.defaultRequestParameters().maxOutputTokens()));
        } else {
            int budget = request.contextTokens() == null ? CONTEXT_WITHOUT_MODEL : request.contextTokens();
            builder.tokenCountEstimator(new EstimatedTokens()).contextTokens(budget)
                    .answerTokens(Math.min(512, budget / 4));
        }
        return builder.build();
    }

    private static io.yinghuo.retrieval.rag.AskRequest toRag(AskRequest request) {
        List<Turn> turns = new ArrayList<>();
        List<AskRequest.Turn> history = request.history();
        for (int i = 0; i + 1 < history.size(); i++) {
            if (history.get(i).user() && !history.get(i + 1).user()) {
                turns.add(new Turn(history.get(i).content(), history.get(i + 1).content()));
                i++;
            }
        }
        AskMode mode = switch (request.mode()) {
            case ASK -> AskMode.ASK;
            case SEARCH -> AskMode.SEARCH;
            case CHAT -> AskMode.CHAT;
        };
        ChatRequestParameters parameters = null;
        if (request.temperature() != null || request.maxTokens() != null) {
            YinghuoChatRequestParameters.Builder p = YinghuoChatRequestParameters.builder();
            if (request.temperature() != null) {
                p.temperature(request.temperature());
            }
            if (request.maxTokens() != null) {
                p.maxOutputTokens(request.maxTokens());
            }
            parameters = p.build();
        }
        return new io.yinghuo.retrieval.rag.AskRequest(request.question(), turns, request.documentIds(), Set.of(),
                mode, request.sources(), parameters);
    }

    private record EvidenceEvent(String standalone, List<io.yinghuo.retrieval.rag.Source> evidence) {
    }

    /** Queues the service's callbacks for the request thread; never blocks the model's thread. */
    private static final class Relay implements AnswerListener {
        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

        @Override
        public void onEvidence(String standalone, List<String> parts, List<io.yinghuo.retrieval.rag.Source> evidence) {
            events.add(new EvidenceEvent(standalone, evidence));
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
