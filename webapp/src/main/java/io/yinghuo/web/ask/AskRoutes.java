package io.yinghuo.web.ask;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.yinghuo.retrieval.rag.AskResponse;
import io.yinghuo.retrieval.rag.Source;
import io.yinghuo.retrieval.search.ChunkSearcher;
import io.yinghuo.retrieval.search.SearchHit;
import io.yinghuo.retrieval.search.SearchRequest;
import io.yinghuo.web.ApiException;
import io.yinghuo.web.ClientProbe;
import io.yinghuo.web.ErrorResponses;
import io.yinghuo.web.Json;
import io.yinghuo.web.Messages;
import io.yinghuo.web.Params;
import io.yinghuo.web.SseStream;
import io.yinghuo.web.generation.GenerationQueue;

import java.io.IOException;
import java.util.List;

/** {@code GET /api/search} and {@code POST /api/ask}. */
public final class AskRoutes {

    static final int MAX_QUERY_CHARS = 2000;
    static final int MAX_K = 50;

    private final ChunkSearcher searcher;
    private final AskService asks;

    public AskRoutes(ChunkSearcher searcher, AskService asks) {
        this.searcher = searcher;
        this.asks = asks;
    }

    /** {@code GET /api/search?q=TEXT&k=5&doc=ID...&collection=NAME...}: the best passages with highlights. */
    public void search(Context ctx) throws IOException {
        String q = ctx.queryParam("q");
        if (q == null || q.isBlank()) {
            throw ApiException.badRequest("q", "the query parameter q is required").localized("error.q_required");
        }
        if (q.length() > MAX_QUERY_CHARS) {
            throw ApiException.badRequest("q", "q is longer than " + MAX_QUERY_CHARS + " characters")
                    .localized("error.q_too_long", MAX_QUERY_CHARS);
        }
        int k = Params.intParam(ctx, "k", 5);
        if (k < 1 || k > MAX_K) {
            throw ApiException.badRequest("k", "k must be from 1 to " + MAX_K + ", got " + k)
                    .localized("error.integer_range", "k", 1, MAX_K, k);
        }
        List<SearchHit> hits = searcher.search(SearchRequest.of(q, k).withDocIds(ctx.queryParams("doc"))
                .withCollections(ctx.queryParams("collection")));
        ctx.json(PassageJson.searchResults(q, hits));
    }

    /**
     * {@code POST /api/ask} (JSON {@link AskBody}). Streams Server-Sent Events unless {@code "stream": false} or
     * {@code ?stream=false}: {@code queued} {"ahead"}, {@code retrieved} {"sources"}, {@code token} {"text"} (many),
     * {@code sources} {"sources"} (with "cited" flags), {@code done} (the whole answer as in the JSON form), or
     * {@code error} {"error"} when it fails after the stream began.
     */
    public void ask(Context ctx) throws IOException, InterruptedException {
        ObjectNode body = Json.parseObject(ctx.bodyAsBytes());
        boolean streamDefault = !"false".equalsIgnoreCase(ctx.queryParam("stream"));
        AskBody request = AskBody.parse(body, streamDefault);
        asks.precheck(request);
        GenerationQueue.Ticket ticket = asks.reserve(request); // a full queue: 503 with Retry-After, before any byte
        if (!request.stream()) {
            JsonSink sink = new JsonSink(ClientProbe.of(ctx));
            try {
                asks.answer(request, ticket, sink);
            } catch (ClientProbe.ClientGoneException e) {
                return; // the client went away while waiting or generating; the generation has been cancelled
            }
            ctx.json(AnswerJson.answer(sink.answer));
            return;
        }
        SseStream stream;
        try {
            stream = new SseStream(ctx);
        } catch (IOException | RuntimeException e) {
            asks.release(ticket);
            throw e;
        }
        try {
            asks.answer(request, ticket, new StreamSink(stream));
        } catch (ApiException e) {
            stream.event("error", Json.write(ErrorResponses.body(e, Messages.lang(ctx))));
        } catch (IOException e) {
            // the client went away; the generation has been cancelled
        }
    }

    /** Collects the answer for a JSON body, checking meanwhile that the client is still there. */
    private static final class JsonSink implements AnswerSink {
        private final ClientProbe probe;
        AskResponse answer;

        JsonSink(ClientProbe probe) {
            this.probe = probe;
        }

        @Override
        public void queued(int ahead) throws IOException {
            probe.check();
        }

        @Override
        public void starting() throws IOException {
            probe.check();
        }

        @Override
        public void retrieved(List<Source> sources) throws IOException {
            probe.check();
        }

        @Override
        public void token(String text) throws IOException {
            probe.checkOften();
        }

        @Override
        public void heartbeat() throws IOException {
            probe.check();
        }

        @Override
        public void done(AskResponse value) {
            answer = value;
        }
    }

    private record StreamSink(SseStream stream) implements AnswerSink {

        @Override
        public void queued(int ahead) throws IOException {
            ObjectNode o = Json.object();
            o.put("ahead", ahead);
            stream.event("queued", Json.write(o));
        }

        @Override
        public void retrieved(List<Source> sources) throws IOException {
            stream.event("retrieved", Json.write(AnswerJson.retrieved(sources)));
        }

        @Override
        public void token(String text) throws IOException {
            ObjectNode o = Json.object();
            o.put("text", text);
            stream.event("token", Json.write(o));
        }

        @Override
        public void heartbeat() throws IOException {
            stream.heartbeat();
        }

        @Override
        public void done(AskResponse answer) throws IOException {
            stream.event("sources", Json.write(AnswerJson.listedSources(answer)));
            stream.event("done", Json.write(AnswerJson.answer(answer)));
        }
    }
}
