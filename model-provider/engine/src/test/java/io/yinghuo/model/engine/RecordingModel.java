package io.yinghuo.model.engine;

import io.yinghuo.model.config.LlamaConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * A backend that computes nothing and records what it is asked: the sessions made (with their capacities) and every
 * call of their {@code forward}. Everything about batches is {@link LoadedModel}'s default.
 */
public class RecordingModel implements LoadedModel {

    /** Logits that show which session was asked and with what: [id, length after, last token, token count]. */
    public static final class Session implements InferenceSession {
        final int id;
        final int capacity;
        final int vocab;
        /** The tokens of every {@code forward}, in order. */
        public final List<int[]> calls = new ArrayList<>();
        int length;

        Session(int id, int capacity, int vocab) {
            this.id = id;
            this.capacity = capacity;
            this.vocab = vocab;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public int capacity() {
            return capacity;
        }

        @Override
        public int vocabSize() {
            return vocab;
        }

        @Override
        public float[] forward(int[] tokens) {
            calls.add(tokens.clone());
            length += tokens.length;
            return logits(vocab, id, length, tokens);
        }

        @Override
        public void forwardAll(int[] tokens, LogitsConsumer consumer) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void truncate(int length) {
            this.length = length;
        }

        @Override
        public void close() {
        }
    }

    final int vocab;
    /** The sessions made, in order. */
    public final List<Session> sessions = new ArrayList<>();

    public RecordingModel(int vocab) {
        this.vocab = vocab;
    }

    /**
     * The logits a session numbered {@code id} returns after {@code tokens}, once it holds {@code length} tokens:
     * [id, length, last token, token count, 0, ...] (cut to the vocabulary).
     */
    private static float[] logits(int vocab, int id, int length, int[] tokens) {
        float[] logits = new float[vocab];
        float[] shown = {id, length, tokens[tokens.length - 1], tokens.length};
        System.arraycopy(shown, 0, logits, 0, Math.min(vocab, shown.length));
        return logits;
    }

    @Override
    public LlamaConfig config() {
        return new LlamaConfig(8, 16, 1, 2, 2, vocab, 1e-5, 10000.0, 64, null, 1, 2, false);
    }

    @Override
    public String description() {
        return "recording";
    }

    @Override
    public InferenceSession newSession(int capacity) {
        Session s = new Session(sessions.size() + 1, capacity, vocab);
        sessions.add(s);
        return s;
    }

    @Override
    public long kvBytesPerToken() {
        return 0;
    }

    @Override
    public long weightBytesPerToken() {
        return 0;
    }

    @Override
    public void close() {
    }
}
