package io.yinghuo.cli;

import io.yinghuo.embeddings.rerank.OnnxCrossEncoder;
import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.model.runtime.ModelOptions;
import io.yinghuo.web.ServerOptions;
import io.yinghuo.web.WebServer;
import io.yinghuo.web.generation.ModelService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code yinghuo serve}: the web UI, the REST API and the OpenAI-compatible API. */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Starts the web app: upload documents and ask questions in the browser; REST API under /api,"
                    + " OpenAI-compatible API under /v1.",
            "Without --model, search and evidence-only answers work; --model DIR adds generated answers and /v1.",
            "--model-url URL (repeatable) generates with remote OpenAI-compatible servers instead (vLLM, TGI,"
                    + " llama.cpp, another yinghuo serve); with it, --model DIR only lends its tokenizer for counting"
                    + " prompt tokens, and --ctx (default 4096) is the remote model's context length.",
            "Search is hybrid (keywords and meaning, with the built-in bge-small-zh-v1.5 embedding model): documents"
                    + " are searchable by keywords at once and by meaning once the background 语义索引 has embedded"
                    + " them. --no-vectors: keywords only, no embedding model loaded.",
            "Binds 127.0.0.1 by default. Another --host needs an API key (--api-key or YINGHUO_API_KEY), which every"
                    + " page and API then requires."})
public final class ServeCommand implements Callable<Integer> {

    static {
        // Javalin and Jetty log their start-up at INFO; the command prints its own one-line banner.
        System.setProperty("org.slf4j.simpleLogger.log.io.javalin", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
    }

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data",
            description = "Data folder (index and originals). Default: ./data")
    Path data;

    @picocli.CommandLine.Mixin
    IndexOption indexOption = new IndexOption();


    @Option(names = "--model", paramLabel = "DIR", description = "Model folder (GPTQ LLaMA-2 checkpoint); with"
            + " --model-url, only its tokenizer and template are used, to count prompt tokens.")
    Path model;

    @Option(names = "--template", paramLabel = "alpaca2|llama2-chat|firefly|raw",
            description = "Chat template (default: recognised from the model folder).")
    String template;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = ServerOptions.DEFAULT_HOST,
            description = "Address to listen on. Default: ${DEFAULT-VALUE}")
    String host;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "Port. Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "Key required by every page and API (default: the environment variable YINGHUO_API_KEY).")
    String apiKey;

    @Option(names = "--ctx", paramLabel = "N",
            description = "Model context length in tokens (default: the model's max_position_embeddings; 4096 with"
                    + " --model-url).")
    Integer ctx;

    @Option(names = "--max-sequences", paramLabel = "N", defaultValue = "" + ModelOptions.DEFAULT_MAX_SEQUENCES,
            description = "Generations the local model decodes together (continuous batching); each holds a KV slot"
                    + " of --ctx tokens that also keeps its prompt for reuse by the next turn. Default: ${DEFAULT-VALUE}")
    int maxSequences;

    @Option(names = "--kv-budget-mb", paramLabel = "M", defaultValue = "0",
            description = "MiB of KV cache the slots may take together (fewer slots than --max-sequences when they"
                    + " do not fit, at least one). Default: half of the Java heap free at start")
    long kvBudgetMb;

    @Option(names = "--max-upload-mb", paramLabel = "N", defaultValue = "50",
            description = "Largest file accepted, in MiB. Default: ${DEFAULT-VALUE}")
    int maxUploadMb;

    @Option(names = "--max-files", paramLabel = "N", defaultValue = "20",
            description = "Most files in one upload. Default: ${DEFAULT-VALUE}")
    int maxFiles;

    @Option(names = "--no-vectors",
            description = "Keywords only: no embedding model, no background 语义索引 (vectors already in the index"
                    + " are kept).")
    boolean noVectors;

    @Option(names = "--reranker", paramLabel = "DIR", description = RerankerChoice.OPTION_DESCRIPTION)
    Path reranker;

    @Mixin
    ModelOptionsMixin modelOptions;

    @Mixin
    RemoteModelOptions remoteModel = new RemoteModelOptions();

    /** Counted down once the server listens (tests wait on it), and {@link #stop} ends {@link #call}. */
    final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    volatile WebServer server;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (maxUploadMb < 1 || maxFiles < 1) {
            throw new IllegalArgumentException("--max-upload-mb and --max-files must be at least 1");
        }
        String key = apiKey != null ? apiKey : System.getenv("YINGHUO_API_KEY");
        ServerOptions options = ServerOptions.defaults().withHost(host).withApiKey(key).withPort(port)
                .withMaxFileBytes((long) maxUploadMb << 20).withMaxFilesPerUpload(maxFiles);
        if (options.apiKey() == null && !options.loopbackOnly()) {
            throw new IllegalArgumentException("unreachable: ServerOptions refuses an exposed host without a key");
        }
        PrintStream out = Utf8Output.stdout();
        OnnxCrossEncoder scorer = RerankerChoice.load(reranker); // before the model: a bad folder fails at once
        ModelService models;
        try {
            if (remoteModel.given()) {
                models = remoteModel.connect(model, template, ctx, options.maxQueuedGenerations(),
                        line -> out.println("serve: " + line));
            } else {
                models = model == null ? ModelService.none(options.maxQueuedGenerations())
                        : ModelService.load(model, modelOptions.toOptions(ctx == null ? 0 : ctx)
                                .withMaxSequences(maxSequences).withKvBudgetMb(kvBudgetMb), template,
                        options.maxQueuedGenerations(), line -> out.println("serve: " + StartupNoise.logLine(line)));
            }
        } catch (RuntimeException e) {
            close(scorer);
            throw e;
        }
        WebServer web;
        try {
            web = WebServer.create(options, DataFolder.at(data), indexOption.address(), models,
                    EmbeddingChoice.unless(noVectors), scorer);
        } catch (IOException | RuntimeException e) {
            models.close();
            close(scorer);
            throw e;
        }
        try {
            web.start();
        } catch (RuntimeException e) {
            web.close();
            close(scorer);
            throw new IllegalArgumentException("cannot listen on " + host + ":" + port + " ("
                    + rootMessage(e) + ")", e);
        }
        server = web;
        // Ctrl-C: the JVM exits when the hooks return, so the hook waits until queued uploads are committed and
        // the index is closed.
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                closed.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "yinghuo-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("yinghuo serve: " + web.url() + "  (data " + DataFolder.at(data).root() + ", "
                + (models.isRemote() ? "remote model " + models.name() + " at " + String.join(" ", remoteModel.urls)
                : models.loaded() ? "model " + models.name() : "no model: answers quote the documents") + ", "
                + (scorer != null ? "reranker " + reranker + ", " : "")
                + (web.vectors().enabled() ? "hybrid search, 语义索引 in the background" : "keyword search only")
                + ", "
                + (options.apiKey() != null ? "API key required" : "no API key, loopback only") + ")");
        started.countDown();
        try {
            stop.await();
        } finally {
            try {
                web.close();
            } finally {
                close(scorer);
                closed.countDown();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
        return 0;
    }

    /** Ends a running {@link #call} (tests; Ctrl-C does the same through the shutdown hook). */
    void stop() {
        stop.countDown();
    }

    private static void close(OnnxCrossEncoder scorer) {
        if (scorer != null) {
            scorer.close();
        }
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) {
            e = e.getCause();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
