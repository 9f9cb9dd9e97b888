package io.yinghuo.cli;

import io.yinghuo.model.generate.SamplingParams;
import picocli.CommandLine.Option;

import java.util.List;

/** Template and sampling options shared by the commands that generate text; unset options keep the defaults. */
final class SamplingOptionsMixin {

    @Option(names = "--template", paramLabel = "raw|alpaca2|llama2-chat|firefly",
            description = "Prompt template (default: recognised from the model folder).")
    String template;

    @Option(names = "--system", paramLabel = "TEXT", description = "System prompt (default: the template's).")
    String system;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Most tokens per answer.")
    Integer maxTokens;

    @Option(names = "--temperature", paramLabel = "T", description = "0 = greedy.")
    Double temperature;

    @Option(names = "--top-k", paramLabel = "K", description = "0 = off.")
    Integer topK;

    @Option(names = "--top-p", paramLabel = "P", description = "1 = off.")
    Double topP;

    @Option(names = "--repetition-penalty", paramLabel = "R", description = "1 = off.")
    Double repetitionPenalty;

    @Option(names = "--seed", paramLabel = "S", description = "Seed for reproducible sampling.")
    Long seed;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop at this text (repeatable).")
    List<String> stops;

    /** {@code base} with every option the user gave applied on top. */
    SamplingParams applyTo(SamplingParams base) {
        SamplingParams.Builder b = base.toBuilder();
        if (maxTokens != null) {
            b.maxNewTokens(maxTokens);
        }
        if (temperature != null) {
            b.temperature(temperature);
        }
        if (topK != null) {
            b.topK(topK);
        }
        if (topP != null) {
            b.topP(topP);
        }
        if (repetitionPenalty != null) {
            b.repetitionPenalty(repetitionPenalty);
        }
        if (seed != null) {
            b.seed(seed);
        }
        if (stops != null) {
            b.stopStrings(stops);
        }
        return b.build();
    }
}
