package io.yinghuo.model.engine.cuda;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.model.engine.Backend;
import io.yinghuo.model.engine.DeviceSpec;
import io.yinghuo.model.engine.EngineOptions;
import io.yinghuo.model.engine.LoadedModel;
import io.yinghuo.model.engine.cpu.CpuBench;
import io.yinghuo.model.runtime.BackendSelector;
import io.yinghuo.model.synth.CheckpointSynthesizer;
import io.yinghuo.model.synth.Shape;
import io.yinghuo.model.weights.CheckpointLoader;
import io.yinghuo.model.weights.LlamaWeights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The benchmark of scripts/cuda-check.sh on a GPU machine that has only the slim bundle (engine, CUDA backend, test
 * kit; no web app): synthesizes a random checkpoint of a shape, loads it on a device through the ordinary loader and
 * prints one JSON object with the figures `yinghuo bench --json` prints under the same names.
 *
 * <pre>
 * java -cp test-classes:classes:lib/* io.yinghuo.model.engine.cuda.BundleBench \
 *     SHAPE DEVICE PROMPT_TOKENS GEN_TOKENS [BITS GROUP_SIZE ACT_ORDER]
 * </pre>
 */
public final class BundleBench {
    private BundleBench() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4 && args.length != 7) {
            System.err.println("usage: BundleBench SHAPE DEVICE PROMPT_TOKENS GEN_TOKENS [BITS GROUP_SIZE ACT_ORDER]");
            System.exit(2);
        }
        Shape shape = Shape.parse(args[0]);
        DeviceSpec device = DeviceSpec.parse(args[1]);
        int prompt = Integer.parseInt(args[2]);
        int gen = Integer.parseInt(args[3]);
        int bits = args.length == 7 ? Integer.parseInt(args[4]) : 4;
        int group = args.length == 7 ? Integer.parseInt(args[5]) : 128;
        boolean actOrder = args.length != 7 || Boolean.parseBoolean(args[6]);
        Path dir = Files.createTempDirectory("yinghuo-bench-");
        try {
            System.err.printf("bench: synthesizing a %s checkpoint (%d-bit, group %d, act-order %s) in %s%n",
                    args[0], bits, group, actOrder, dir);
            CheckpointSynthesizer.builder().shape(shape).bits(bits).groupSize(group).actOrder(actOrder).seed(1)
                    .build().write(dir);
            Backend backend = BackendSelector.select(device, System.err::println);
            try (LlamaWeights weights = CheckpointLoader.load(dir);
                 LoadedModel model = backend.load(weights, EngineOptions.defaults())) {
                CpuBench.Report r = CpuBench.run(model, EngineOptions.defaults().effectiveThreads(), prompt, gen);
                ObjectNode o = r.toJson("synthetic " + args[0]);
                o.put("kv_bytes_per_token", model.kvBytesPerToken());
                System.out.println(o);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
