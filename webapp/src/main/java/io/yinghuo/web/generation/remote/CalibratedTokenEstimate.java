package io.yinghuo.web.generation.remote;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.TokenCountEstimator;

/**
 * Token counts for a remote model whose tokenizer we do not have: a base estimate (the ingest chunker's
 * character-class estimate, calibrated against the LLaMA-2 Chinese tokenizer) scaled by what the server reports.
 *
 * <p>Every answer's {@code usage.prompt_tokens} (OpenAI's usage object, which vLLM, TGI, llama.cpp and our own
 * {@code serve} fill in) is compared with the estimate of the prompt that was sent; the ratio, smoothed over recent
 * answers, scales later estimates, plus a 10 % margin. So a server whose tokenizer needs more tokens per character
 * than LLaMA-2-Chinese (the original LLaMA-2 vocabulary spends about two per Chinese character) soon gets prompts
 * packed to fit, after at most a few answers refused as too long; one that needs fewer only gets a little less
 * evidence than it could hold.
 */
public final class CalibratedTokenEstimate implements TokenCountEstimator {

    /** Weight of the newest observation in the running ratio. */
    private static final double SMOOTHING = 0.3;
    private static final double MARGIN = 1.1;
    private static final double MIN_RATIO = 0.5;
    private static final double MAX_RATIO = 4.0;

    private final TokenCountEstimator base;
    private double ratio = 1.0;
    private long observations;

    public CalibratedTokenEstimate(TokenCountEstimator base) {
        this.base = base;
    }

    @Override
    public int estimateTokenCountInText(String text) {
        return scale(base.estimateTokenCountInText(text));
    }

    @Override
    public int estimateTokenCountInMessage(ChatMessage message) {
        return scale(base.estimateTokenCountInMessage(message));
    }

    @Override
    public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
        return scale(base.estimateTokenCountInMessages(messages));
    }

    /** Learns from the prompt tokens the server counted for {@code messages}. */
    public void observe(Iterable<ChatMessage> messages, Integer reportedPromptTokens) {
        if (reportedPromptTokens == null || reportedPromptTokens <= 0) {
            return;
        }
        int estimated = base.estimateTokenCountInMessages(messages);
        if (estimated <= 0) {
            return;
        }
        double observed = Math.max(MIN_RATIO, Math.min(MAX_RATIO, (double) reportedPromptTokens / estimated));
        synchronized (this) {
            ratio = observations == 0 ? observed : ratio + SMOOTHING * (observed - ratio);
            observations++;
        }
    }

    /** The factor applied now, margin included. */
    public synchronized double factor() {
        return ratio * MARGIN;
    }

    public synchronized long observations() {
        return observations;
    }

    private int scale(int tokens) {
        return (int) Math.ceil(tokens * factor());
    }
}
