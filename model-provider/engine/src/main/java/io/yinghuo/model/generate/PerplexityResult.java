package io.yinghuo.model.generate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Arrays;

/**
 * Perplexity of a text under a model, from {@link PerplexityEvaluator}.
 * {@code nll} is the mean negative log-likelihood per scored token (natural log), {@code ppl = exp(nll)}.
 */
public final class PerplexityResult {

    private static final JsonFactory JSON = new JsonFactory();

    private final double[] tokenLogprobs;
    private final double nll;

    PerplexityResult(double[] tokenLogprobs) {
        if (tokenLogprobs.length == 0) {
            throw new IllegalArgumentException("a perplexity needs at least one scored token");
        }
        this.tokenLogprobs = tokenLogprobs;
        double sum = 0;
        for (double logprob : tokenLogprobs) {
            sum += logprob;
        }
        this.nll = -sum / tokenLogprobs.length;
    }

    /** Number of scored tokens. */
    public int tokens() {
        return tokenLogprobs.length;
    }

    /** Mean negative log-likelihood per scored token, natural log. */
    public double nll() {
        return nll;
    }

    public double ppl() {
        return Math.exp(nll);
    }

    /** log p of the i-th scored token (natural log), in text order. */
    public double tokenLogprob(int i) {
        return tokenLogprobs[i];
    }

    /** A copy of all per-token log-probabilities, in text order. */
    public double[] tokenLogprobs() {
        return tokenLogprobs.clone();
    }

    /** Writes {@code {"tokens": n, "nll": ..., "ppl": ..., "token_logprobs": [...]}} (streamed, for long texts). */
    public void writeJson(Writer out) throws IOException {
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.writeStartObject();
            json.writeNumberField("tokens", tokens());
            json.writeNumberField("nll", nll);
            json.writeNumberField("ppl", ppl());
            json.writeFieldName("token_logprobs");
            json.writeArray(tokenLogprobs, 0, tokenLogprobs.length);
            json.writeEndObject();
        }
    }

    /** The JSON of {@link #writeJson} as a string. */
    public String toJson() {
        StringWriter out = new StringWriter();
        try {
            writeJson(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "PerplexityResult{tokens=" + tokens() + ", nll=" + nll + ", ppl=" + ppl() + '}';
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PerplexityResult other && Arrays.equals(tokenLogprobs, other.tokenLogprobs);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(tokenLogprobs);
    }
}
