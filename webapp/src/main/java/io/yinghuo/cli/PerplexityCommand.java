package io.yinghuo.cli;

import io.yinghuo.model.engine.InferenceSession;
import io.yinghuo.model.generate.PerplexityEvaluator;
import io.yinghuo.model.generate.PerplexityResult;
import io.yinghuo.model.runtime.LlamaModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code perplexity}: the whole file is tokenized once (BOS once in front), cut into consecutive windows of at most
 * --ctx tokens, each window scored alone from an empty cache in one prefill.
 */
@Command(name = "perplexity", mixinStandardHelpOptions = true,
        description = "Perplexity of a model on a UTF-8 text file, in non-overlapping windows of --ctx tokens.")
final class PerplexityCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model folder.")
    Path model;

    @Option(names = "--file", required = true, paramLabel = "TEXT", description = "UTF-8 text file to score.")
    Path file;

    @Option(names = "--ctx", required = true, paramLabel = "N", description = "Window length in tokens (>= 2).")
    int ctx;

    @Option(names = "--json", description = "Print {tokens, nll, ppl, token_logprobs} as JSON.")
    boolean json;

    @Mixin
    ModelOptionsMixin modelOptions;

    @Override
    public Integer call() throws Exception {
        if (ctx < 2) {
            throw new IllegalArgumentException("--ctx must be at least 2, got " + ctx);
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file: " + file);
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try (LlamaModel llama = LlamaModel.load(model, modelOptions.toOptions(ctx));
             InferenceSession session = llama.newSession(ctx)) {
            System.err.println("perplexity: " + llama.description() + ", windows of " + ctx + " tokens");
            long start = System.nanoTime();
            PerplexityResult result = new PerplexityEvaluator(session, llama.tokenizer()).evaluate(text, ctx,
                    (window, windows, scored, nll) -> System.err.printf("window %d/%d: %d tokens, ppl so far %.4f%n",
                            window + 1, windows, scored, Math.exp(nll)));
            double seconds = (System.nanoTime() - start) / 1e9;
            Writer out = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
            if (json) {
                result.writeJson(out);
                out.write(System.lineSeparator());
            } else {
                PrintWriter p = new PrintWriter(out);
                p.printf("tokens %d  nll %.6f  ppl %.4f%n", result.tokens(), result.nll(), result.ppl());
                p.flush();
            }
            out.flush();
            System.err.printf("scored %d tokens in %.1f s (%.1f tok/s)%n", result.tokens(), seconds,
                    result.tokens() / seconds);
        }
        return 0;
    }
}
