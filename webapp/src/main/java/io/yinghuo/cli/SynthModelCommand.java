package io.yinghuo.cli;

import io.yinghuo.model.checkpoint.DType;
import io.yinghuo.model.config.LlamaConfig;
import io.yinghuo.model.synth.CheckpointSynthesizer;
import io.yinghuo.model.synth.GptqFormat;
import io.yinghuo.model.synth.SentencePieceModelWriter;
import io.yinghuo.model.tokenizer.PieceType;
import io.yinghuo.model.synth.Shape;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code yinghuo synth-model}: writes a random-weight LLaMA checkpoint in AutoGPTQ (or fp16/bf16) layout. */
@Command(name = "synth-model",
        mixinStandardHelpOptions = true,
        description = {"Writes a LLaMA model directory with deterministic random weights, in the exact file layout of"
                + " an AutoGPTQ GPTQ checkpoint (or an unquantized fp16/bf16 one), for tests and benchmarks.",
                "The weights are random: the model produces no meaningful text."})
public final class SynthModelCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--shape", required = true, description = "tiny, 1.3b, 7b or 13b")
    String shape;

    @Option(names = "--bits", defaultValue = "4", description = "4 or 8 (default ${DEFAULT-VALUE})")
    int bits;

    @Option(names = "--group-size", defaultValue = "128",
            description = "GPTQ group size, -1 for one group per column (default ${DEFAULT-VALUE})")
    int groupSize;

    @Option(names = "--act-order", defaultValue = "false", arity = "1",
            description = "desc_act: true or false (default ${DEFAULT-VALUE})")
    boolean actOrder;

    @Option(names = "--sym", defaultValue = "true", arity = "1",
            description = "symmetric quantization: true or false (default ${DEFAULT-VALUE})")
    boolean sym;

    @Option(names = "--format", defaultValue = "gptq", description = "gptq (v1) or gptq_v2 (default ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--dtype", description = "fp16 or bf16: write an unquantized checkpoint instead of GPTQ")
    String dtype;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--tokenizer", description = {"a SentencePiece tokenizer.model to copy; sets the vocabulary size.",
            "Default: a small built-in LLaMA-style tokenizer (byte fallback, some English and Chinese pieces), padded"
                    + " with unused pieces to the shape's vocabulary size, so that the folder loads in every command."})
    Path tokenizer;

    @Option(names = "--shards", defaultValue = "1", description = "number of safetensors files (default ${DEFAULT-VALUE})")
    int shards;

    @Option(names = "--out", required = true, description = "the model directory to write")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (Files.isDirectory(out)) {
            try (Stream<Path> entries = Files.list(out)) {
                if (entries.findAny().isPresent() && !Files.exists(out.resolve("config.json"))) {
                    throw new IllegalArgumentException(out + " exists, is not empty and holds no model;"
                            + " choose an empty or new directory");
                }
            }
        }
        CheckpointSynthesizer.Builder b = CheckpointSynthesizer.builder()
                .shape(Shape.parse(shape))
                .bits(bits)
                .groupSize(groupSize)
                .actOrder(actOrder)
                .sym(sym)
                .format(GptqFormat.parse(format))
                .seed(seed)
                .shards(shards);
        if (dtype != null) {
            b.unquantized(parseDtype(dtype));
        }
        if (tokenizer != null) {
            if (!Files.isRegularFile(tokenizer)) {
                throw new IllegalArgumentException("no such tokenizer file: " + tokenizer);
            }
            b.tokenizer(tokenizer);
        }
        CheckpointSynthesizer synth = b.build();
        long start = System.nanoTime();
        synth.write(out);
        if (tokenizer == null) {
            builtInTokenizer(synth.config().vocabSize()).write(out.resolve("tokenizer.model"));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        LlamaConfig c = synth.config();
        String kind = synth.quant() == null ? dtype.toLowerCase(Locale.ROOT)
                : bits + "-bit GPTQ (" + format + ", group " + groupSize + (actOrder ? ", act-order" : "")
                + (sym ? ", sym" : ", asym") + ")";
        spec.commandLine().getOut().printf(Locale.ROOT,
                "wrote %s: %s LLaMA, %d layers, hidden %d, vocab %d, %s, %.1f MB in %.1f s%n",
                out, shape, c.numLayers(), c.hiddenSize(), c.vocabSize(), kind, directoryBytes(out) / 1e6, seconds);
        return 0;
    }

    /** {@link SentencePieceModelWriter#small()}, with UNUSED pieces up to {@code vocabSize} (55296 for 7b/13b). */
    static SentencePieceModelWriter builtInTokenizer(int vocabSize) {
        SentencePieceModelWriter writer = SentencePieceModelWriter.small();
        for (int i = writer.size(); i < vocabSize; i++) {
            writer.addPiece("<unused" + i + ">", 0f, PieceType.UNUSED);
        }
        return writer;
    }

    private static DType parseDtype(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "fp16", "f16", "float16" -> DType.F16;
            case "bf16", "bfloat16" -> DType.BF16;
            default -> throw new IllegalArgumentException("--dtype must be fp16 or bf16, not " + name);
        };
    }

    private static long directoryBytes(Path dir) throws java.io.IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
