package io.yinghuo.model.synth;

import java.util.Locale;

/**
 * Model sizes the synthesizer can write. 7b and 13b are the LLaMA-2 shapes with the Chinese-LLaMA-2 vocabulary
 * (hidden/intermediate/layers/heads as in Meta's Llama-2-7b-hf and -13b-hf config.json, vocab_size 55296 as in
 * hfl/chinese-alpaca-2-7b); 1.3b is four 7B-wide layers, a quick stand-in for benchmarks that need real matrix sizes;
 * tiny is for unit tests: K values (128, 256) are multiples of 128 so every group size in {32, 64, 128, -1} divides
 * them, and 4 query heads over 2 key/value heads exercise grouped-query attention.
 */
public enum Shape {
    TINY("tiny", 128, 256, 2, 4, 2, 512),
    B1_3("1.3b", 4096, 11008, 4, 32, 32, 55296),
    B7("7b", 4096, 11008, 32, 32, 32, 55296),
    B13("13b", 5120, 13824, 40, 40, 40, 55296);

    private final String cliName;
    private final int hiddenSize;
    private final int intermediateSize;
    private final int numLayers;
    private final int numHeads;
    private final int numKvHeads;
    private final int vocabSize;

    Shape(String cliName, int hiddenSize, int intermediateSize, int numLayers, int numHeads, int numKvHeads,
          int vocabSize) {
        this.cliName = cliName;
        this.hiddenSize = hiddenSize;
        this.intermediateSize = intermediateSize;
        this.numLayers = numLayers;
        this.numHeads = numHeads;
        this.numKvHeads = numKvHeads;
        this.vocabSize = vocabSize;
    }

    /** Parses "tiny", "1.3b", "7b" or "13b". */
    public static Shape parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Shape s : values()) {
            if (s.cliName.equals(n)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown model shape \"" + name + "\"; expected tiny, 1.3b, 7b or 13b");
    }

    public String cliName() {
        return cliName;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    public int intermediateSize() {
        return intermediateSize;
    }

    public int numLayers() {
        return numLayers;
    }

    public int numHeads() {
        return numHeads;
    }

    public int numKvHeads() {
        return numKvHeads;
    }

    public int vocabSize() {
        return vocabSize;
    }
}
