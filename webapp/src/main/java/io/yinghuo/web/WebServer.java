package io.yinghuo.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.scoring.ScoringModel;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.ingest.pipeline.IngestOptions;
import io.yinghuo.ingest.pipeline.IngestPipeline;
import io.yinghuo.ingest.pipeline.OriginalStore;
import io.yinghuo.ingest.pipeline.WordBoxStore;
import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.search.ChunkSearcher;
import io.yinghuo.retrieval.vectors.Embedder;
import io.yinghuo.web.ask.AskRoutes;
import io.yinghuo.web.ask.AskService;
import io.yinghuo.web.documents.CollectionRoutes;
import io.yinghuo.web.documents.DocumentRoutes;
import io.yinghuo.web.documents.StoredPageBoxes;
import io.yinghuo.web.documents.IngestJobs;
import io.yinghuo.web.documents.IngestRoutes;
import io.yinghuo.web.documents.VectorStatus;
import io.yinghuo.web.generation.ModelService;
import io.yinghuo.web.openai.OpenAiRoutes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;

import static io.javalin.apibuilder.ApiBuilder.delete;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.post;

/**
 * The Yinghuo web server: the browser UI, the REST API under {@code /api} and the OpenAI-compatible API under
 * {@code /v1}, over one data folder and an optional model. Owns the data folder's index (and so its write lock),
 * the ingest pipeline that writes into it and the model it was given; {@link #close} releases all three. Every
 * read (searches, answers, the catalogue, the health figures) goes to the index, which shows each ingest commit
 * as soon as it is published; the pipeline only writes.
 *
 * <p>With an embedding model ({@link #create(ServerOptions, DataFolder, ModelService, Embedder)}) searches are
 * hybrid, and the pipeline's vector backfill embeds committed documents in the background (语义索引): a document is
 * searchable by keywords as soon as it is committed, and by meaning once its vectors are.
 */
public final class WebServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

    private final ServerOptions options;
    private final DataFolder data;
    private final ChunkStore index;
    private final IngestPipeline pipeline;
    private final IngestJobs jobs;
    private final ModelService models;
    private final AccessGuard guard;
    private final IngestRoutes ingestRoutes;
    private final VectorStatus vectors;
    private final Javalin app;

    private WebServer(ServerOptions options, DataFolder data, ChunkStore index, IngestPipeline pipeline,
                      OriginalStore originals, WordBoxStore wordBoxes, IngestJobs jobs, ModelService models,
                      Embedder embedder, ScoringModel reranker) {
        this.options = options;
        this.data = data;
        this.index = index;
        this.pipeline = pipeline;
        this.jobs = jobs;
        this.models = models;
        this.guard = new AccessGuard(options);
        this.vectors = new VectorStatus(index, pipeline.vectors().orElse(null));
        DocumentRoutes documents = new DocumentRoutes(index, originals, pipeline, jobs, options, vectors,
                new StoredPageBoxes(wordBoxes));
        CollectionRoutes collections = new CollectionRoutes(index, pipeline);
        this.ingestRoutes = new IngestRoutes(jobs, vectors);
        ChunkSearcher searcher = new ChunkSearcher(index, embedder);
        AskRoutes asks = new AskRoutes(searcher, new AskService(index, searcher, models, reranker));
        OpenAiRoutes openAi = new OpenAiRoutes(models);
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            config.http.maxRequestSize = options.maxJsonBytes();
            config.http.prefer405over404 = true;
            // Compression would buffer Server-Sent Events; the server is meant for loopback or a LAN anyway.
            config.http.disableCompression();
            config.jetty.multipartConfig.maxFileSize(options.maxFileBytes(), SizeUnit.BYTES);
            config.jetty.multipartConfig.maxTotalRequestSize(options.maxUploadRequestBytes(), SizeUnit.BYTES);
            config.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
            // Jetty's own errors (bad URIs, 414, 431, unparsable requests) as JSON too, not Jetty's HTML page
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JsonErrorHandler()));
            config.router.apiBuilder(() -> {
                get("/api/health", this::health);
                get("/api/model", ctx -> ctx.json(models.info()));
                post("/api/documents", documents::upload);
                get("/api/documents", documents::list);
                get("/api/documents/{id}", documents::get);
                delete("/api/documents/{id}", documents::delete);
                get("/api/documents/{id}/original", documents::original);
                get("/api/documents/{id}/text", documents::text);
                get("/api/documents/{id}/pages/{page}/boxes", documents::boxes);
                get("/api/collections", collections::list);
                post("/api/collections", collections::create);
                post("/api/collections/rename", collections::rename);
                delete("/api/collections", collections::delete);
                get("/api/ingest", ingestRoutes::list);
                get("/api/ingest/events", ingestRoutes::events);
                get("/api/ingest/{jobId}", ingestRoutes::get);
                get("/api/search", asks::search);
                post("/api/ask", asks::ask);
                get("/v1/models", openAi::models);
                get("/v1/models/{model}", openAi::model);
                post("/v1/chat/completions", openAi::chatCompletions);
                post("/v1/completions", openAi::completions);
                post("/login", this::login);
                for (String page : new String[] {"/", "/index.html", "/app.js", "/viewer.js", "/i18n.js", "/style.css",
                        "/login", "/login.js"}) {
                    get(page, UiRoutes::serve);
                }
                get("/vendor/pdfjs/<file>", UiRoutes::vendor);
            });
        });
        app.before(this::beforeEveryRequest);
        app.exception(ApiException.class, (e, ctx) -> fail(ctx, e));
        app.exception(HttpResponseException.class, (e, ctx) -> fail(ctx, ErrorResponses.fromJavalin(e)));
        app.exception(Exception.class, (e, ctx) -> {
            ApiException error = ErrorResponses.fromUnexpected(e);
            if (error.status() == 503) {
                LOG.warn("{} {}: {}", ctx.method(), ctx.path(), error.getMessage());
            } else {
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            }
            fail(ctx, error);
        });
        app.error(404, ctx -> {
            if (ctx.result() == null) {
                ErrorResponses.write(ctx, ApiException.notFound("no such endpoint: " + ctx.method() + " "
                        + ctx.path()).localized("error.not_found"));
            }
        });
        app.error(405, ctx -> {
            if (ctx.result() == null) {
                ErrorResponses.write(ctx, new ApiException(405, "invalid_request_error", "method_not_allowed",
                        null, ctx.method() + " is not allowed on " + ctx.path()).localized("error.method_not_allowed"));
            }
        });
    }

    /**
     * Opens the data folder (creating it) and prepares a keyword-only server (no embedding model); {@link #start}
     * listens.
     *
     * @param models the model to generate with ({@link ModelService#none} for search and evidence-only answers);
     *               the server closes it
     */
    public static WebServer create(ServerOptions options, DataFolder data, ModelService models) throws IOException {
        return create(options, data, models, null);
    }

    /**
     * Opens the data folder (creating it) and prepares the server; {@link #start} listens.
     *
     * @param models the model to generate with ({@link ModelService#none} for search and evidence-only answers);
     *               the server closes it
     * @param embedder the embedding model of hybrid search, or null for keywords only. The vector backfill starts
     *                 here, in the background: a model that loads lazily (the built-in one) loads on the
     *                 backfill's thread, so the server starts at once
     */
    public static WebServer create(ServerOptions options, DataFolder data, ModelService models, Embedder embedder)
            throws IOException {
        return create(options, data, models, embedder, null);
    }

    /**
     * As {@link #create(ServerOptions, DataFolder, ModelService, Embedder)}, with a reranker that re-orders each
     * question part's passages ({@code --reranker}; null = none). The caller keeps it and closes it after the server.
     */
    public static WebServer create(ServerOptions options, DataFolder data, ModelService models, Embedder embedder,
                                   ScoringModel reranker) throws IOException {
        return create(options, data, IndexAddress.EMBEDDED, models, embedder, reranker);
    }

    /** As {@link #create(ServerOptions, DataFolder, ModelService, Embedder, ScoringModel)} on the index at {@code at}. */
    public static WebServer create(ServerOptions options, DataFolder data, IndexAddress at, ModelService models,
                                   Embedder embedder, ScoringModel reranker) throws IOException {
        IngestJobs jobs = new IngestJobs();
        Files.createDirectories(data.root());
        IngestOptions ingestOptions = IngestOptions.defaults().withListener(jobs);
        ChunkStore index = at.open(data, ingestOptions.profile());
        IngestPipeline pipeline = null;
        try {
            OriginalStore originals = new OriginalStore(data.originals());
            WordBoxStore wordBoxes = new WordBoxStore(data.wordBoxes());
            pipeline = IngestPipeline.open(data, index, ingestOptions);
            if (embedder != null) {
                pipeline.startVectors(embedder);
            }
            return new WebServer(options, data, index, pipeline, originals, wordBoxes, jobs, models, embedder,
                    reranker);
        } catch (IOException | RuntimeException e) {
            if (pipeline != null) {
                pipeline.close();
            }
            index.close();
            throw e;
        }
    }

    public WebServer start() {
        app.start(options.host(), options.port());
        return this;
    }

    /** The port listened on (the real one when the options said 0). */
    public int port() {
        return app.port();
    }

    /** The address to open in a browser. */
    public String url() {
        String host = options.host().contains(":") && !options.host().startsWith("[") ? "[" + options.host() + "]"
                : options.host();
        return "http://" + host + ":" + port() + "/";
    }

    /** The data folder's index: what the server searches and lists. */
    public ChunkStore index() {
        return index;
    }

    /** Writes uploads and deletions into {@link #index()}. */
    public IngestPipeline pipeline() {
        return pipeline;
    }

    public ModelService models() {
        return models;
    }

    /** The background 语义索引 and which documents have vectors (disabled without an embedding model). */
    public VectorStatus vectors() {
        return vectors;
    }

    /** Stops listening, finishes queued ingestion and releases the index and the model. */
    @Override
    public void close() throws IOException {
        ingestRoutes.close();
        try {
            app.stop();
        } finally {
            try {
                pipeline.close(); // before the index: it finishes the commits of what was queued
            } finally {
                try {
                    index.close();
                } finally {
                    models.close();
                }
            }
        }
    }

    private void beforeEveryRequest(Context ctx) throws IOException {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "SAMEORIGIN");
        ctx.header("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self';"
                + " img-src 'self' data:; object-src 'self'; frame-src 'self'; frame-ancestors 'self';"
                + " base-uri 'none'; form-action 'self'");
        try {
            guard.check(ctx);
        } catch (ApiException e) {
            if (e.status() == 401 && ctx.method().name().equals("GET") && UiRoutes.serves(ctx.path())) {
                UiRoutes.loginPage(ctx, 401);
                ctx.skipRemainingHandlers();
                return;
            }
            throw e;
        }
        long declared = ctx.req().getContentLengthLong();
        boolean upload = ctx.path().equals("/api/documents");
        if (!upload && declared > options.maxJsonBytes()) {
            throw ApiException.tooLarge("the request body is " + declared + " bytes; the limit is "
                    + options.maxJsonBytes()).localized("error.body_too_large", declared, options.maxJsonBytes());
        }
    }

    /** {@code POST /login} (form field {@code key}): sets the session cookie and goes to the UI. */
    private void login(Context ctx) throws IOException {
        if (!guard.keyRequired()) {
            ctx.redirect("/");
            return;
        }
        String key = ctx.formParam("key");
        if (!guard.loginMatches(key == null ? null : key.strip(), ctx.req().getRemoteAddr())) { // 429 if locked out
            ctx.redirect("/login?failed=1");
            return;
        }
        ctx.res().addHeader("Set-Cookie", AccessGuard.COOKIE + "=" + guard.sessionToken()
                + "; Path=/; HttpOnly; SameSite=Strict");
        ctx.redirect("/");
    }

    private void health(Context ctx) throws IOException {
        ObjectNode body = Json.object();
        body.put("status", "ok");
        body.put("documents", index.documents().size());
        body.put("chunks", index.chunkCount());
        body.put("ingesting", jobs.unfinished().size());
        body.put("model_loaded", models.loaded());
        if (models.isRemote()) {
            body.set("remote_model", models.remoteHealth()); // the remote servers and whether each is up
        }
        body.set("vectors", vectors.json());
        body.put("data_folder", data.root().toString());
        ObjectNode upload = body.putObject("upload");
        upload.put("max_file_bytes", options.maxFileBytes());
        upload.put("max_files", options.maxFilesPerUpload());
        var types = upload.putArray("types");
        new java.util.TreeSet<>(io.yinghuo.ingest.parse.DocumentParsers.withDefaults().supportedExtensions())
                .forEach(types::add);
        body.put("api_key_required", guard.keyRequired());
        ctx.json(body);
    }

    private static void fail(Context ctx, ApiException e) {
        if (ctx.res().isCommitted()) {
            return; // a stream already began; its handler reports errors in-band
        }
        ErrorResponses.write(ctx, e);
    }
}
