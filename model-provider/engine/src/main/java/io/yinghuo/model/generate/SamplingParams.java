package io.yinghuo.model.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How the next token is chosen and when generation ends. Immutable; build with {@link #builder()} or start from a
 * preset ({@link #chineseAlpaca2()}, {@link #firefly()}) and adjust with {@link #toBuilder()}.
 *
 * <p>The knobs mean what they mean in Hugging Face transformers' {@code generate(do_sample=True, ...)}, applied in
 * the same order (see {@link Sampler}); the "off" values are the ones for which transformers leaves the step out:
 * <ul>
 *   <li>{@code temperature}: logits are divided by it; {@code 0} means greedy decoding (argmax), and so does any
 *       temperature below {@value #GREEDY_BELOW}.</li>
 *   <li>{@code topK}: keep the tokens whose logit is at least the k-th largest; {@code 0} = off.</li>
 *   <li>{@code topP}: nucleus filtering, in (0, 1]; {@code 1} = off.</li>
 *   <li>{@code repetitionPenalty}: HF's penalty on every id seen in prompt + output; {@code 1} = off.</li>
 *   <li>{@code seed}: {@code null} draws a fresh random seed per generation (reported in the result).</li>
 *   <li>{@code maxNewTokens}: upper bound on sampled tokens, EOS included (as HF's {@code max_new_tokens}).</li>
 *   <li>{@code stopStrings}: generation ends at the first occurrence of any of them in the answer text.</li>
 * </ul>
 */
public final class SamplingParams {

    private final double temperature;
    private final int topK;
    private final double topP;
    private final double repetitionPenalty;
    private final Long seed;
    private final int maxNewTokens;
    private final List<String> stopStrings;

    private SamplingParams(Builder b) {
        this.temperature = b.temperature;
        this.topK = b.topK;
        this.topP = b.topP;
        this.repetitionPenalty = b.repetitionPenalty;
        this.seed = b.seed;
        this.maxNewTokens = b.maxNewTokens;
        this.stopStrings = List.copyOf(b.stopStrings);
    }

    /**
     * Chinese-Alpaca-2's own defaults (ymcui/Chinese-LLaMA-Alpaca-2 scripts/inference/inference_hf.py
     * {@code generation_config}): temperature 0.2, top-k 40, top-p 0.9, repetition penalty 1.1, 400 new tokens.
     */
    public static SamplingParams chineseAlpaca2() {
        return builder().temperature(0.2).topK(40).topP(0.9).repetitionPenalty(1.1).maxNewTokens(400).build();
    }

    /**
     * Firefly-LLaMA2-Chat's chat-script defaults (yangjianxin1/Firefly-LLaMA2-Chinese script/chat/multi_chat.py): top-p
     * 0.9, temperature 0.35, repetition penalty 1.0, 500 new tokens. The script passes no top_k, so transformers
     * applies its GenerationConfig default {@code top_k=50}; we keep that to sample what the upstream script samples.
     */
    public static SamplingParams firefly() {
        return builder().temperature(0.35).topK(50).topP(0.9).repetitionPenalty(1.0).maxNewTokens(500).build();
    }

    /** Plain greedy decoding (argmax), no penalty, {@code maxNewTokens} tokens at most. */
    public static SamplingParams greedy(int maxNewTokens) {
        return builder().temperature(0).maxNewTokens(maxNewTokens).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .temperature(temperature)
                .topK(topK)
                .topP(topP)
                .repetitionPenalty(repetitionPenalty)
                .seed(seed)
                .maxNewTokens(maxNewTokens)
                .stopStrings(stopStrings);
    }

    public double temperature() {
        return temperature;
    }

    /**
     * Temperatures below this decode greedily. Dividing float logits by a smaller one overflows (a request's
     * {@code 4.9e-324} is 0 as a float, {@code 1e-40} turns every logit of 0.01 or more into infinity), and the
     * softmax at such a temperature is the argmax anyway. vLLM draws the same line ({@code _SAMPLING_EPS = 1e-5} in
     * {@code vllm/sampling_params.py}).
     */
    public static final double GREEDY_BELOW = 1e-5;

    /**
     * True when temperature is 0 or below {@link #GREEDY_BELOW}: the argmax is taken and top-k / top-p / seed play
     * no part.
     */
    public boolean isGreedy() {
        return temperature < GREEDY_BELOW;
    }

    public int topK() {
        return topK;
    }

    public double topP() {
        return topP;
    }

    public double repetitionPenalty() {
        return repetitionPenalty;
    }

    /** The fixed seed, or null for a fresh random one per generation. */
    public Long seed() {
        return seed;
    }

    public int maxNewTokens() {
        return maxNewTokens;
    }

    /** Unmodifiable. */
    public List<String> stopStrings() {
        return stopStrings;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SamplingParams other)) {
            return false;
        }
        return Double.compare(temperature, other.temperature) == 0
                && topK == other.topK
                && Double.compare(topP, other.topP) == 0
                && Double.compare(repetitionPenalty, other.repetitionPenalty) == 0
                && Objects.equals(seed, other.seed)
                && maxNewTokens == other.maxNewTokens
                && stopStrings.equals(other.stopStrings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(temperature, topK, topP, repetitionPenalty, seed, maxNewTokens, stopStrings);
    }

    @Override
    public String toString() {
        return "SamplingParams{temperature=" + temperature + ", topK=" + topK + ", topP=" + topP
                + ", repetitionPenalty=" + repetitionPenalty + ", seed=" + seed + ", maxNewTokens=" + maxNewTokens
                + ", stopStrings=" + stopStrings + '}';
    }

    /**
     * Starts with every filter off: temperature 1, top-k 0, top-p 1, repetition penalty 1, random seed, 256 new
     * tokens, no stop strings. (Unlike transformers' GenerationConfig there is no implicit top-k of 50.) Each
     * setter validates its argument at once, so the message names the offending field.
     */
    public static final class Builder {
        private double temperature = 1.0;
        private int topK = 0;
        private double topP = 1.0;
        private double repetitionPenalty = 1.0;
        private Long seed = null;
        private int maxNewTokens = 256;
        private final List<String> stopStrings = new ArrayList<>();

        private Builder() {
        }

        /** {@code >= 0}; 0 selects greedy decoding. */
        public Builder temperature(double temperature) {
            if (!(temperature >= 0) || Double.isInfinite(temperature)) {
                throw new IllegalArgumentException(
                        "temperature must be a finite number >= 0 (0 = greedy), got " + temperature);
            }
            this.temperature = temperature;
            return this;
        }

        /** {@code >= 0}; 0 turns top-k off. */
        public Builder topK(int topK) {
            if (topK < 0) {
                throw new IllegalArgumentException("topK must be >= 0 (0 = off), got " + topK);
            }
            this.topK = topK;
            return this;
        }

        /** In (0, 1]; 1 turns top-p off. */
        public Builder topP(double topP) {
            if (!(topP > 0 && topP <= 1)) {
                throw new IllegalArgumentException("topP must be in (0, 1] (1 = off), got " + topP);
            }
            this.topP = topP;
            return this;
        }

        /** {@code > 0}; 1 turns the penalty off, values above 1 discourage repeats. */
        public Builder repetitionPenalty(double repetitionPenalty) {
            if (!(repetitionPenalty > 0) || Double.isInfinite(repetitionPenalty)) {
                throw new IllegalArgumentException(
                        "repetitionPenalty must be a finite number > 0 (1 = off), got " + repetitionPenalty);
            }
            this.repetitionPenalty = repetitionPenalty;
            return this;
        }

        /** A fixed seed for reproducible sampling, or null for a fresh random seed per generation. */
        public Builder seed(Long seed) {
            this.seed = seed;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** {@code >= 1}. */
        public Builder maxNewTokens(int maxNewTokens) {
            if (maxNewTokens < 1) {
                throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
            }
            this.maxNewTokens = maxNewTokens;
            return this;
        }

        /** Replaces the stop strings. Each must be non-empty and well-formed UTF-16 (no lone surrogates). */
        public Builder stopStrings(List<String> stops) {
            Objects.requireNonNull(stops, "stopStrings");
            List<String> checked = new ArrayList<>(stops.size());
            for (String s : stops) {
                checked.add(checkStop(s));
            }
            stopStrings.clear();
            stopStrings.addAll(checked);
            return this;
        }

        public Builder stopStrings(String... stops) {
            return stopStrings(List.of(stops));
        }

        public Builder addStopString(String stop) {
            stopStrings.add(checkStop(stop));
            return this;
        }

        public SamplingParams build() {
            return new SamplingParams(this);
        }

        private static String checkStop(String s) {
            if (s == null || s.isEmpty()) {
                throw new IllegalArgumentException("stop strings must be non-empty, got " + (s == null ? "null" : "\"\""));
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    throw new IllegalArgumentException("stop string has an unpaired surrogate at index " + i);
                }
            }
            return s;
        }
    }
}
