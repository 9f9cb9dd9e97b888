package io.yinghuo.model.engine.cpu;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.model.engine.BenchResult;
import io.yinghuo.model.engine.EngineBench;
import io.yinghuo.model.engine.EngineOptions;
import io.yinghuo.model.engine.LoadedModel;
import io.yinghuo.model.weights.LlamaWeights;

/**
 * The CPU figures the CLI's {@code bench} prints: prefill and decode speed ({@link EngineBench}), bytes streamed
 * per decoded token, the bandwidth that implies, and the measured ceiling ({@link MemoryBandwidth}) with the same
 * thread count.
 */
public final class CpuBench {
    private CpuBench() {
    }

    /**
     * @param bytesPerToken weight bytes one decode step streams (the packed layout's, see
     *     {@link LoadedModel#weightBytesPerToken()})
     * @param ceilingBytesPerSecond measured read bandwidth with the same threads
     */
    public record Report(String backend, BenchResult result, long bytesPerToken, double ceilingBytesPerSecond) {

        public double achievedBytesPerSecond() {
            return bytesPerToken * result.decodeTokensPerSecond();
        }

        /** Achieved / ceiling: 1 would be decode purely limited by reading the weights once. */
        public double fractionOfCeiling() {
            return achievedBytesPerSecond() / ceilingBytesPerSecond;
        }

        /**
         * The figures as {@code bench --json} names them: backend, model, prompt_tokens, prefill_tokens_per_second,
         * decode_tokens, decode_tokens_per_second, bytes_per_token, achieved_bytes_per_second,
         * prefill_tokens_per_cpu_second and decode_tokens_per_cpu_second (tokens per CPU second of the whole process,
         * null where unknown: on a shared machine the work per token, where the wall rates measure the share of the
         * cores the run got); callers add theirs.
         */
        public ObjectNode toJson(String model) {
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("backend", backend);
            o.put("model", model);
            o.put("prompt_tokens", result.promptTokens());
            o.put("prefill_tokens_per_second", result.prefillTokensPerSecond());
            o.put("decode_tokens", result.decodeTokens());
            o.put("decode_tokens_per_second", result.decodeTokensPerSecond());
            o.put("bytes_per_token", bytesPerToken);
            o.put("achieved_bytes_per_second", achievedBytesPerSecond());
            putFinite(o, "prefill_tokens_per_cpu_second", result.prefillTokensPerCpuSecond());
            putFinite(o, "decode_tokens_per_cpu_second", result.decodeTokensPerCpuSecond());
            return o;
        }

        private static void putFinite(ObjectNode o, String name, double value) {
            if (Double.isFinite(value)) {
                o.put(name, value);
            } else {
                o.putNull(name);
            }
        }

        /**
         * Adds {@code bandwidth_bytes_per_second} (a bandwidth measured outside this run, e.g. a GPU's
         * device-to-device copy, which the CPU read ceiling does not describe) and {@code fraction_of_bandwidth}
         * (achieved / that bandwidth); both are JSON null when {@code bandwidth} is null.
         *
         * @throws IllegalArgumentException when {@code bandwidth} is not a positive finite number
         */
        public ObjectNode putGivenBandwidth(ObjectNode o, Double bandwidth) {
            if (bandwidth == null) {
                o.putNull("bandwidth_bytes_per_second");
                o.putNull("fraction_of_bandwidth");
                return o;
            }
            if (!(bandwidth > 0) || bandwidth.isInfinite()) {
                throw new IllegalArgumentException("the bandwidth must be a positive number of bytes per second, got "
                        + bandwidth);
            }
            o.put("bandwidth_bytes_per_second", bandwidth);
            o.put("fraction_of_bandwidth", achievedBytesPerSecond() / bandwidth);
            return o;
        }

        @Override
        public String toString() {
            return String.format("%s: prefill %d tokens %.1f tok/s; decode %d tokens %.2f tok/s; %.3f GB/token "
                            + "-> %.2f GB/s = %.0f%% of the measured %.2f GB/s read ceiling",
                    backend, result.promptTokens(), result.prefillTokensPerSecond(), result.decodeTokens(),
                    result.decodeTokensPerSecond(), bytesPerToken / 1e9, achievedBytesPerSecond() / 1e9,
                    100 * fractionOfCeiling(), ceilingBytesPerSecond / 1e9);
        }
    }

    /** Loads the weights on the CPU with {@code options}, benchmarks, measures the ceiling, closes the model. */
    public static Report run(LlamaWeights weights, EngineOptions options, int promptTokens, int decodeTokens) {
        EngineOptions o = options == null ? EngineOptions.defaults() : options;
        try (LoadedModel model = new CpuBackend().load(weights, o)) {
            return run(model, o.effectiveThreads(), promptTokens, decodeTokens);
        }
    }

    /** Benchmarks an already loaded model; the ceiling is measured with {@code threads} threads. */
    public static Report run(LoadedModel model, int threads, int promptTokens, int decodeTokens) {
        BenchResult r = EngineBench.run(model, promptTokens, decodeTokens, 42);
        double ceiling = MemoryBandwidth.measure(threads, MemoryBandwidth.DEFAULT_BYTES);
        return new Report(model.description(), r, model.weightBytesPerToken(), ceiling);
    }
}
