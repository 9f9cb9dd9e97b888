package io.yinghuo.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.model.engine.BenchResult;
import io.yinghuo.model.engine.EngineBench;
import io.yinghuo.model.engine.cpu.CpuBench;
import io.yinghuo.model.engine.cpu.MemoryBandwidth;
import io.yinghuo.model.engine.Backend;
import io.yinghuo.model.engine.EngineOptions;
import io.yinghuo.model.engine.LoadedModel;
import io.yinghuo.model.runtime.BackendSelector;
import io.yinghuo.model.weights.CheckpointLoader;
import io.yinghuo.model.weights.LlamaWeights;
import io.yinghuo.model.runtime.ModelOptions;
import io.yinghuo.model.serve.ServingBench;
import io.yinghuo.model.synth.CheckpointSynthesizer;
import io.yinghuo.model.synth.Shape;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code bench}: prefill and decode speed of a model folder, or of a random checkpoint of a named shape that is
 * synthesized into a temporary folder and loaded through the ordinary loader (so the measured path is the real one).
 * Bandwidth figures compare bytes streamed per decoded token with a read-bandwidth ceiling measured in the same run.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Prefill and decode tok/s, bytes per token, achieved and ceiling bandwidth, peak memory.")
final class BenchCommand implements Callable<Integer> {

    static final class Source {
        @Option(names = "--model", paramLabel = "DIR", description = "Model folder to measure.")
        Path model;

        @Option(names = "--shape", paramLabel = "tiny|1.3b|7b|13b",
                description = "Measure a random checkpoint of this shape (4-bit g128 act-order unless told).")
        String shape;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--prompt-tokens", defaultValue = "128", paramLabel = "N",
            description = "Prompt tokens to prefill (default: ${DEFAULT-VALUE}).")
    int promptTokens;

    @Option(names = "--gen-tokens", defaultValue = "32", paramLabel = "N",
            description = "Tokens to decode (default: ${DEFAULT-VALUE}).")
    int genTokens;

    @Option(names = "--bits", defaultValue = "4", description = "With --shape: 4 or 8 (default: ${DEFAULT-VALUE}).")
    int bits;

    @Option(names = "--group-size", defaultValue = "128",
            description = "With --shape: 32, 64, 128 or -1 (default: ${DEFAULT-VALUE}).")
    int groupSize;

    @Option(names = "--act-order", defaultValue = "true", arity = "1",
            description = "With --shape: act-order g_idx (default: ${DEFAULT-VALUE}).")
    boolean actOrder;

    @Option(names = "--bandwidth-bytes-per-second", paramLabel = "B/S",
            description = "A bandwidth measured elsewhere (e.g. a GPU's device-to-device copy) to report the "
                    + "achieved decode bandwidth as a share of.")
    Double bandwidth;

    @Option(names = "--json", description = "Print the figures as one JSON object.")
    boolean json;

    @Option(names = "--serving", description = "Serving figures instead: prefill and decode of 64, 512 and 2,048-token"
            + " prompts, first-token time of follow-ups from cached prefixes against cold (chat: 2,000-token history +"
            + " 100-token message; RAG: same passages, and a next turn), aggregate decode of 1, 4 and 8 streams"
            + " batched together with each stream's p99 inter-token time.")
    boolean serving;

    @Mixin
    ModelOptionsMixin modelOptions;

    @Override
    public Integer call() throws Exception {
        if (promptTokens < 1 || genTokens < 1) {
            throw new IllegalArgumentException("--prompt-tokens and --gen-tokens must be >= 1");
        }
        if (bandwidth != null && !(bandwidth > 0 && !bandwidth.isInfinite())) {
            throw new IllegalArgumentException("--bandwidth-bytes-per-second must be a positive number");
        }
        Path dir = source.model;
        try (ScratchFolders scratch = new ScratchFolders()) {
            if (dir == null) {
                dir = scratch.create("yinghuo-bench-");
                Shape shape = Shape.parse(source.shape);
                System.err.printf("bench: synthesizing a %s checkpoint (%d-bit, group %d, act-order %s) in %s%n",
                        shape.cliName(), bits, groupSize, actOrder, dir);
                CheckpointSynthesizer.builder().shape(shape).bits(bits).groupSize(groupSize).actOrder(actOrder)
                        .seed(1).build().write(dir);
            }
            ModelOptions options = modelOptions.toOptions(promptTokens + genTokens);
            // No tokenizer needed: the benchmark feeds random token ids, so synthesized shapes need none.
            Backend backend = BackendSelector.select(options.device(), System.err::println);
            try (LlamaWeights weights = CheckpointLoader.load(dir);
                 LoadedModel loaded = backend.load(weights, EngineOptions.defaults().withThreads(options.threads())
                         .withRope(options.rope()))) {
                if (serving) {
                    System.out.println(ServingBench.run(loaded, ServingBench.Plan.standard(),
                            line -> System.err.println("bench: " + line)));
                    return 0;
                }
                BenchResult result = EngineBench.run(loaded, promptTokens, genTokens, 42);
                // Read before the ceiling measurement, whose 1 GiB buffer is not the model's memory.
                long peakRss = ProcessMemory.peakResidentBytes();
                int threads = options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
                double ceiling = MemoryBandwidth.measure(threads, MemoryBandwidth.DEFAULT_BYTES);
                print(new CpuBench.Report(loaded.description(), result, loaded.weightBytesPerToken(), ceiling),
                        loaded, peakRss);
            }
        }
        return 0;
    }

    private void print(CpuBench.Report r, LoadedModel loaded, long peakRss) {
        if (json) {
            ObjectNode o = r.toJson(source.model != null ? source.model.toString() : "synthetic " + source.shape);
            o.put("ceiling_bytes_per_second", r.ceilingBytesPerSecond());
            o.put("fraction_of_ceiling", r.fractionOfCeiling());
            r.putGivenBandwidth(o, bandwidth);
            o.put("peak_rss_bytes", peakRss);
            o.put("rss_anonymous_bytes", ProcessMemory.residentAnonymousBytes());
            o.put("rss_file_bytes", ProcessMemory.residentFileBytes());
            o.put("kv_bytes_per_token", loaded.kvBytesPerToken());
            System.out.println(o);
        } else {
            System.out.println(r);
            if (bandwidth != null) {
                System.out.printf("achieved %.2f GB/s = %.0f%% of the given %.2f GB/s%n",
                        r.achievedBytesPerSecond() / 1e9, 100 * r.achievedBytesPerSecond() / bandwidth,
                        bandwidth / 1e9);
            }
            System.out.printf("peak resident memory %.2f GB (now %.2f GB heap and other anonymous memory, %.2f GB "
                            + "mapped checkpoint pages); KV cache %.1f KB per context token%n", peakRss / 1e9,
                    ProcessMemory.residentAnonymousBytes() / 1e9, ProcessMemory.residentFileBytes() / 1e9,
                    loaded.kvBytesPerToken() / 1e3);
        }
    }
}
