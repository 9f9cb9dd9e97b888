package io.yinghuo.model.engine.cuda;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.model.engine.Backend;
import io.yinghuo.model.engine.BenchResult;
import io.yinghuo.model.engine.DeviceSpec;
import io.yinghuo.model.engine.EngineBench;
import io.yinghuo.model.engine.EngineOptions;
import io.yinghuo.model.engine.LoadedModel;
import io.yinghuo.model.engine.cpu.CpuBench;
import io.yinghuo.model.runtime.BackendSelector;
import io.yinghuo.model.weights.CheckpointLoader;
import io.yinghuo.model.weights.LlamaWeights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The benchmark of scripts/cuda-check.sh and scripts/cuda-perf.sh on a GPU machine that has only the slim bundle
 * (engine, CUDA backend, test kit; no web app): loads a model folder, or synthesizes a random checkpoint of a shape
 * into a temporary folder, on a device through the ordinary loader and prints one JSON object with the figures
 * `yinghuo bench --json` prints under the same names.
 *
 * <pre>
 * java -cp test-classes:classes:lib/* io.yinghuo.model.engine.cuda.BundleBench \
 *     SHAPE|MODEL_DIR DEVICE PROMPT_TOKENS GEN_TOKENS [BITS GROUP_SIZE ACT_ORDER] \
 *     [--bandwidth-bytes-per-second B] [--prefill-tokens N]
 * </pre>
 *
 * {@code --bandwidth-bytes-per-second} adds {@code bandwidth_bytes_per_second} and {@code fraction_of_bandwidth}
 * (null without it), as {@code bench} does. {@code --prefill-tokens N} times a second, long prefill of N tokens on
 * the same loaded model ({@code long_prefill_tokens}, {@code long_prefill_tokens_per_second}): decode is measured
 * after a short prompt, since after a long one it would also stream the whole KV cache every token.
 */
public final class BundleBench {
    private BundleBench() {
    }

    public static void main(String[] argv) throws IOException {
        List<String> args = new ArrayList<>(List.of(argv));
        Double bandwidth = null;
        int longPrefill = 0;
        try {
            String b = takeOption(args, "--bandwidth-bytes-per-second");
            bandwidth = b == null ? null : Double.valueOf(b);
            String p = takeOption(args, "--prefill-tokens");
            longPrefill = p == null ? 0 : Integer.parseInt(p);
        } catch (NumberFormatException e) {
            usage(e.getMessage());
        }
        if (args.size() != 4 && args.size() != 7) {
            usage(null);
        }
        Path given = Path.of(args.get(0));
        boolean synthesize = !Files.isDirectory(given);
        DeviceSpec device = DeviceSpec.parse(args.get(1));
        int prompt = Integer.parseInt(args.get(2));
        int gen = Integer.parseInt(args.get(3));
        Path dir = synthesize ? Files.createTempDirectory("yinghuo-bench-") : given;
        try {
            if (synthesize) {
                BundleSynth.write(args.get(0), dir, args.size() == 7 ? args.subList(4, 7) : List.of());
            }
            Backend backend = BackendSelector.select(device, System.err::println);
            try (LlamaWeights weights = CheckpointLoader.load(dir);
                 LoadedModel model = backend.load(weights, EngineOptions.defaults())) {
                CpuBench.Report r = CpuBench.run(model, EngineOptions.defaults().effectiveThreads(), prompt, gen);
                ObjectNode o = r.toJson(synthesize ? "synthetic " + args.get(0) : dir.toString());
                r.putGivenBandwidth(o, bandwidth);
                o.put("kv_bytes_per_token", model.kvBytesPerToken());
                if (longPrefill > 0) {
                    BenchResult p = EngineBench.run(model, longPrefill, 1, 43);
                    o.put("long_prefill_tokens", longPrefill);
                    o.put("long_prefill_tokens_per_second", p.prefillTokensPerSecond());
                } else {
                    o.putNull("long_prefill_tokens");
                    o.putNull("long_prefill_tokens_per_second");
                }
                System.out.println(o);
            }
        } finally {
            if (synthesize) {
                deleteTree(dir);
            }
        }
    }

    /** Removes {@code name VALUE} from {@code args} and returns VALUE, or null when the option is absent. */
    private static String takeOption(List<String> args, String name) {
        int i = args.indexOf(name);
        if (i < 0) {
            return null;
        }
        if (i + 1 >= args.size()) {
            usage(name + " needs a value");
        }
        String value = args.get(i + 1);
        args.subList(i, i + 2).clear();
        return value;
    }

    private static void usage(String problem) {
        if (problem != null) {
            System.err.println(problem);
        }
        System.err.println("usage: BundleBench SHAPE|MODEL_DIR DEVICE PROMPT_TOKENS GEN_TOKENS"
                + " [BITS GROUP_SIZE ACT_ORDER] [--bandwidth-bytes-per-second B] [--prefill-tokens N]");
        System.exit(2);
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
