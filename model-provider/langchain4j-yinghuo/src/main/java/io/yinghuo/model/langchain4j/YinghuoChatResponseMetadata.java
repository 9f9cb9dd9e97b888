package io.yinghuo.model.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponseMetadata;

import java.util.Objects;

/**
 * What LangChain4j's response metadata says (model name, token usage, finish reason) plus what this engine knows
 * about the call: how many of the oldest exchanges were left out so the prompt fits the context, the chat template,
 * the stop sequence that ended the answer, the seed, and prefill/decode timings.
 *
 * <p>{@code tokenUsage().inputTokenCount()} is the prompt as run (after dropping exchanges);
 * {@code outputTokenCount()} counts the tokens the model produced, EOS included when it ended the answer, so it
 * never exceeds {@code maxOutputTokens}. A generation cancelled by the caller would report
 * {@link dev.langchain4j.model.output.FinishReason#OTHER} (LangChain4j has no "cancelled"); in practice
 * LangChain4j's contract is that a cancelled stream receives no further callbacks, so no response is delivered.
 */
public class YinghuoChatResponseMetadata extends ChatResponseMetadata {

    private final int droppedExchanges;
    private final String chatTemplate;
    private final String stopSequence;
    private final Long seed;
    private final int prefillTokens;
    private final long prefillNanos;
    private final int decodeTokens;
    private final long decodeNanos;
    private final int[] outputTokenIds;

    protected YinghuoChatResponseMetadata(Builder builder) {
        super(builder);
        this.droppedExchanges = builder.droppedExchanges;
        this.chatTemplate = builder.chatTemplate;
        this.stopSequence = builder.stopSequence;
        this.seed = builder.seed;
        this.prefillTokens = builder.prefillTokens;
        this.prefillNanos = builder.prefillNanos;
        this.decodeTokens = builder.decodeTokens;
        this.decodeNanos = builder.decodeNanos;
        this.outputTokenIds = builder.outputTokenIds == null ? new int[0] : builder.outputTokenIds.clone();
    }

    /** The ids the model sampled for the answer (EOS excluded), e.g. to compare backends token for token. */
    public int[] outputTokenIds() {
        return outputTokenIds.clone();
    }

    /** Oldest user/assistant exchanges left out of the prompt so it fits the context (0 = the whole history). */
    public int droppedExchanges() {
        return droppedExchanges;
    }

    /** Name of the chat template the prompt was built with, e.g. {@code alpaca2}. */
    public String chatTemplate() {
        return chatTemplate;
    }

    /** The stop sequence that ended the answer, or null (EOS, length or cancellation). */
    public String stopSequence() {
        return stopSequence;
    }

    /** The sampler's seed (meaningless for greedy decoding); pass it back to reproduce the answer. */
    public Long seed() {
        return seed;
    }

    /** Prompt tokens actually computed; fewer than the input tokens when a cached prefix was reused. */
    public int prefillTokens() {
        return prefillTokens;
    }

    public long prefillNanos() {
        return prefillNanos;
    }

    public int decodeTokens() {
        return decodeTokens;
    }

    public long decodeNanos() {
        return decodeNanos;
    }

    /** Decode speed in tokens per second (0 when nothing was decoded). */
    public double decodeTokensPerSecond() {
        return decodeNanos <= 0 ? 0 : decodeTokens * 1e9 / decodeNanos;
    }

    @Override
    public Builder toBuilder() {
        return ((Builder) super.toBuilder(builder()))
                .droppedExchanges(droppedExchanges)
                .chatTemplate(chatTemplate)
                .stopSequence(stopSequence)
                .seed(seed)
                .prefill(prefillTokens, prefillNanos)
                .decode(decodeTokens, decodeNanos)
                .outputTokenIds(outputTokenIds);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof YinghuoChatResponseMetadata that) || !super.equals(o)) {
            return false;
        }
        return droppedExchanges == that.droppedExchanges && prefillTokens == that.prefillTokens
                && prefillNanos == that.prefillNanos && decodeTokens == that.decodeTokens
                && decodeNanos == that.decodeNanos && java.util.Arrays.equals(outputTokenIds, that.outputTokenIds)
                && Objects.equals(chatTemplate, that.chatTemplate)
                && Objects.equals(stopSequence, that.stopSequence) && Objects.equals(seed, that.seed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), droppedExchanges, chatTemplate, stopSequence, seed, prefillTokens,
                prefillNanos, decodeTokens, decodeNanos);
    }

    @Override
    public String toString() {
        return "YinghuoChatResponseMetadata{modelName=" + modelName() + ", tokenUsage=" + tokenUsage()
                + ", finishReason=" + finishReason() + ", droppedExchanges=" + droppedExchanges
                + ", chatTemplate=" + chatTemplate + ", stopSequence=" + stopSequence + ", seed=" + seed
                + ", prefillTokens=" + prefillTokens + ", decodeTokens=" + decodeTokens + '}';
    }

    public static Builder builder() {
        return new Builder();
    }

    public static class Builder extends ChatResponseMetadata.Builder<Builder> {

        private int droppedExchanges;
        private String chatTemplate;
        private String stopSequence;
        private Long seed;
        private int prefillTokens;
        private long prefillNanos;
        private int decodeTokens;
        private long decodeNanos;
        private int[] outputTokenIds;

        // This is public so it can be extended.
        public Builder() {
        }

        public Builder droppedExchanges(int droppedExchanges) {
            this.droppedExchanges = droppedExchanges;
            return this;
        }

        public Builder chatTemplate(String chatTemplate) {
            this.chatTemplate = chatTemplate;
            return this;
        }

        public Builder stopSequence(String stopSequence) {
            this.stopSequence = stopSequence;
            return this;
        }

        public Builder seed(Long seed) {
            this.seed = seed;
            return this;
        }

        public Builder prefill(int tokens, long nanos) {
            this.prefillTokens = tokens;
            this.prefillNanos = nanos;
            return this;
        }

        public Builder decode(int tokens, long nanos) {
            this.decodeTokens = tokens;
            this.decodeNanos = nanos;
            return this;
        }

        public Builder outputTokenIds(int[] outputTokenIds) {
            this.outputTokenIds = outputTokenIds;
            return this;
        }

        @Override
        public YinghuoChatResponseMetadata build() {
            return new YinghuoChatResponseMetadata(this);
        }
    }
}
