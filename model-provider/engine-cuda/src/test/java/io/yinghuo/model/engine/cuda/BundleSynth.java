package io.yinghuo.model.engine.cuda;

import io.yinghuo.model.synth.CheckpointSynthesizer;
import io.yinghuo.model.synth.Shape;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a random GPTQ checkpoint of a shape into a folder on a GPU machine that has only the slim bundle (the web
 * app's {@code synth-model} is not there), so that scripts/cuda-perf.sh can benchmark the engine and the PyTorch
 * peer on the same files.
 *
 * <pre>
 * java -cp test-classes:classes:lib/* io.yinghuo.model.engine.cuda.BundleSynth SHAPE OUT_DIR [BITS GROUP_SIZE ACT_ORDER]
 * </pre>
 * Defaults: 4-bit, group 128, act-order (what {@code bench --shape} measures), seed 1.
 */
public final class BundleSynth {
    private BundleSynth() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2 && args.length != 5) {
            System.err.println("usage: BundleSynth SHAPE OUT_DIR [BITS GROUP_SIZE ACT_ORDER]");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[1]));
        write(args[0], dir, args.length == 5 ? List.of(args).subList(2, 5) : List.of());
    }

    /** {@code quant}: empty, or BITS, GROUP_SIZE, ACT_ORDER as strings. */
    static void write(String shapeName, Path dir, List<String> quant) throws IOException {
        Shape shape = Shape.parse(shapeName);
        int bits = quant.isEmpty() ? 4 : Integer.parseInt(quant.get(0));
        int group = quant.isEmpty() ? 128 : Integer.parseInt(quant.get(1));
        boolean actOrder = quant.isEmpty() || Boolean.parseBoolean(quant.get(2));
        System.err.printf("synthesizing a %s checkpoint (%d-bit, group %d, act-order %s) in %s%n",
                shapeName, bits, group, actOrder, dir);
        CheckpointSynthesizer.builder().shape(shape).bits(bits).groupSize(group).actOrder(actOrder).seed(1)
                .build().write(dir);
    }
}
