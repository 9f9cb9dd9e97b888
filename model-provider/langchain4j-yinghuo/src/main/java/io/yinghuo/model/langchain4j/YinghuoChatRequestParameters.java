package io.yinghuo.model.langchain4j;

import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;

import java.util.Objects;

/**
 * Request parameters with the knobs of this engine that LangChain4j's common set lacks (the pattern of
 * {@code OllamaChatRequestParameters}): Hugging Face's {@code repetition_penalty} and a sampling seed.
 *
 * <p>The common parameters mean what {@link io.yinghuo.model.generate.SamplingParams} says: {@code temperature} 0
 * is greedy decoding, {@code topK} 0 and {@code topP} 1 turn those filters off, {@code maxOutputTokens} bounds the
 * sampled tokens (EOS included), {@code stopSequences} end the answer (the chat template's own turn marker is
 * always added). {@code frequencyPenalty} and {@code presencePenalty} (OpenAI's additive, count-based penalties)
 * are refused: the engine implements the multiplicative repetition penalty of the reference scripts, and passing
 * one off as the other would change the model's behaviour silently. Use {@link #repetitionPenalty()}.
 *
 * <p>Two more are about the call rather than sampling: {@link #dropOldestExchanges()} (may a conversation too long
 * for the context lose its oldest exchanges, or is it refused) and {@link #responseId()} (the id the response gets,
 * for a server that has named the response before it exists, as a streaming OpenAI-compatible endpoint must).
 */
public class YinghuoChatRequestParameters extends DefaultChatRequestParameters {

    public static final YinghuoChatRequestParameters EMPTY = builder().build();

    private final Double repetitionPenalty;
    private final Long seed;
    private final Boolean dropOldestExchanges;
    private final String responseId;

    protected YinghuoChatRequestParameters(Builder builder) {
        super(builder);
        this.repetitionPenalty = builder.repetitionPenalty;
        this.seed = builder.seed;
        this.dropOldestExchanges = builder.dropOldestExchanges;
        this.responseId = builder.responseId;
    }

    /** HF repetition penalty ({@code > 0}, 1 = off), or null for the model's default. */
    public Double repetitionPenalty() {
        return repetitionPenalty;
    }

    /** Sampling seed for reproducible answers, or null for a fresh random seed per request. */
    public Long seed() {
        return seed;
    }

    /**
     * Whether a conversation too long for the context may lose its oldest user/assistant exchanges (true, the
     * default: what a chat UI or a LangChain4j memory wants) or is refused with
     * {@link ContextLengthExceededException} (false: what OpenAI's API does, so a client never gets an answer to a
     * conversation it did not send). Null = the default.
     */
    public Boolean dropOldestExchanges() {
        return dropOldestExchanges;
    }

    /**
     * The id the response gets in {@code ChatResponseMetadata.id()}, or null for a fresh {@code chatcmpl-...} id.
     * Per request only (the chat model builders refuse it as a default: every response would share it).
     */
    public String responseId() {
        return responseId;
    }

    @Override
    public YinghuoChatRequestParameters overrideWith(ChatRequestParameters that) {
        return builder().overrideWith(this).overrideWith(that).build();
    }

    @Override
    public YinghuoChatRequestParameters defaultedBy(ChatRequestParameters that) {
        return builder().overrideWith(that).overrideWith(this).build();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof YinghuoChatRequestParameters that) || !super.equals(o)) {
            return false;
        }
        return Objects.equals(repetitionPenalty, that.repetitionPenalty) && Objects.equals(seed, that.seed)
                && Objects.equals(dropOldestExchanges, that.dropOldestExchanges)
                && Objects.equals(responseId, that.responseId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), repetitionPenalty, seed, dropOldestExchanges, responseId);
    }

    @Override
    public String toString() {
        return "YinghuoChatRequestParameters{modelName=" + modelName() + ", temperature=" + temperature()
                + ", topP=" + topP() + ", topK=" + topK() + ", maxOutputTokens=" + maxOutputTokens()
                + ", stopSequences=" + stopSequences() + ", repetitionPenalty=" + repetitionPenalty
                + ", seed=" + seed + ", dropOldestExchanges=" + dropOldestExchanges + ", responseId=" + responseId
                + ", frequencyPenalty=" + frequencyPenalty() + ", presencePenalty="
                + presencePenalty() + ", toolSpecifications=" + toolSpecifications() + ", toolChoice="
                + toolChoice() + ", responseFormat=" + responseFormat() + '}';
    }

    public static Builder builder() {
        return new Builder();
    }

    public static class Builder extends DefaultChatRequestParameters.Builder<Builder> {

        private Double repetitionPenalty;
        private Long seed;
        private Boolean dropOldestExchanges;
        private String responseId;

        // This is public so it can be extended.
        public Builder() {
        }

        /** Takes every non-null value of {@code parameters}, including ours when it is a Yinghuo parameter set. */
        @Override
        public Builder overrideWith(ChatRequestParameters parameters) {
            if (parameters == null) {
                return this;
            }
            super.overrideWith(parameters);
            if (parameters instanceof YinghuoChatRequestParameters yinghuo) {
                if (yinghuo.repetitionPenalty() != null) {
                    repetitionPenalty = yinghuo.repetitionPenalty();
                }
                if (yinghuo.seed() != null) {
                    seed = yinghuo.seed();
                }
                if (yinghuo.dropOldestExchanges() != null) {
                    dropOldestExchanges = yinghuo.dropOldestExchanges();
                }
                if (yinghuo.responseId() != null) {
                    responseId = yinghuo.responseId();
                }
            }
            return this;
        }

        public Builder repetitionPenalty(Double repetitionPenalty) {
            this.repetitionPenalty = repetitionPenalty;
            return this;
        }

        public Builder seed(Long seed) {
            this.seed = seed;
            return this;
        }

        public Builder dropOldestExchanges(Boolean dropOldestExchanges) {
            this.dropOldestExchanges = dropOldestExchanges;
            return this;
        }

        public Builder responseId(String responseId) {
            this.responseId = responseId;
            return this;
        }

        @Override
        public YinghuoChatRequestParameters build() {
            return new YinghuoChatRequestParameters(this);
        }
    }
}
