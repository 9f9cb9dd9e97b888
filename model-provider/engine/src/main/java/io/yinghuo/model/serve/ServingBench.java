package io.yinghuo.model.serve;

import io.yinghuo.model.engine.BenchResult;
import io.yinghuo.model.engine.EngineBench;
import io.yinghuo.model.engine.InferenceSession;
import io.yinghuo.model.engine.LoadedModel;
import io.yinghuo.model.engine.SequenceStep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * What serving costs, measured on random token ids in one process (the CLI's {@code bench --serving}): prefill and
 * decode speed by prompt length; time to first token of a follow-up served from the {@link KvSlotPool}'s cached
 * prefix against the same prompt run cold; and aggregate decode throughput of several streams stepped together
 * through {@link LoadedModel#forwardBatch}, with each stream's p99 inter-token time. A stream's next token is the
 * argmax of its logits, so the batch carries real, distinct tokens.
 */
public final class ServingBench {

    /** Prefill and decode of one prompt length. */
    public record Speed(BenchResult result) {
        @Override
        public String toString() {
            return String.format("prompt %5d tokens: prefill %7.1f tok/s, decode %d tokens %6.2f tok/s",
                    result.promptTokens(), result.prefillTokensPerSecond(), result.decodeTokens(),
                    result.decodeTokensPerSecond());
        }
    }

    /** Time to first token of one prompt run cold and with its cached prefix. */
    public record FirstToken(String what, int promptTokens, int reusedTokens, double coldSeconds, double warmSeconds) {
        public double ratio() {
            return coldSeconds / warmSeconds;
        }

        @Override
        public String toString() {
            return String.format("%s: %d-token prompt, %d cached: first token cold %.3f s, with the cached prefix "
                    + "%.3f s (%.1fx lower)", what, promptTokens, reusedTokens, coldSeconds, warmSeconds, ratio());
        }
    }

    /** Several streams decoding together. */
    public record Streams(int streams, int steps, double seconds, double p99StepMillis, double maxStepMillis) {
        public double aggregateTokensPerSecond() {
            return streams * steps / seconds;
        }

        @Override
        public String toString() {
            return String.format("%d stream%s: aggregate decode %6.2f tok/s (%5.2f per stream), p99 inter-token "
                            + "%.0f ms (max %.0f ms) per stream", streams, streams == 1 ? " " : "s",
                    aggregateTokensPerSecond(), aggregateTokensPerSecond() / streams, p99StepMillis, maxStepMillis);
        }
    }

    public record Report(String backend, List<Speed> speeds, List<FirstToken> firstTokens, List<Streams> streams) {

        /** Mean aggregate of the widest batch's runs over the mean of the single-stream runs. */
        public double scaling() {
            int widest = streams.stream().mapToInt(Streams::streams).max().orElse(1);
            return meanAggregate(widest) / meanAggregate(1);
        }

        private double meanAggregate(int width) {
            return streams.stream().filter(s -> s.streams() == width)
                    .mapToDouble(Streams::aggregateTokensPerSecond).average().orElse(Double.NaN);
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(backend).append('\n');
            speeds.forEach(s -> b.append("  ").append(s).append('\n'));
            firstTokens.forEach(t -> b.append("  ").append(t).append('\n'));
            streams.forEach(s -> b.append("  ").append(s).append('\n'));
            int widest = streams.stream().mapToInt(Streams::streams).max().orElse(1);
            b.append(String.format("  aggregate decode at %d streams = %.2fx one stream", widest, scaling()));
            return b.toString();
        }
    }

    /**
     * What to measure.
     *
     * @param promptLengths prompts whose prefill and decode speed are measured (none: no such figures)
     * @param decodeTokens  decode steps after each of those prompts
     * @param history       tokens of the conversation before a follow-up (prompt and answer); 0 = no first-token
     *                      figures
     * @param message       tokens of the follow-up message
     * @param passages      tokens of the retrieved passages in a RAG prompt (the template's and rules' tokens added)
     * @param streamCounts  batch widths for the aggregate decode, in the order run
     * @param streamSteps   decode steps timed per width
     */
    public record Plan(int[] promptLengths, int decodeTokens, int history, int message, int passages,
                       int[] streamCounts, int streamSteps) {

        /** 64 / 512 / 2,048-token prompts, a 2,000-token history with a 100-token message, 1,500 tokens of passages, 1 / 4 / 8 / 1 streams. */
        public static Plan standard() {
            return new Plan(new int[] {64, 512, 2048}, 32, 2000, 100, 1500, new int[] {1, 4, 8, 1}, 32);
        }
    }

    private static final int ANSWER = 32;
    private static final int TEMPLATE = 40;
    private static final int RULES = 60;
    private static final int QUESTION = 30;
    private static final int STREAM_PROMPT = 64;

    private final LoadedModel model;
    private final Random random = new Random(42);
    private final int vocab;

    private ServingBench(LoadedModel model) {
        this.model = model;
        this.vocab = model.config().vocabSize();
    }

    public static Report run(LoadedModel model, Plan plan, Consumer<String> progress) {
        return new ServingBench(model).measure(plan, progress);
    }

    private Report measure(Plan plan, Consumer<String> progress) {
        // streams first: the figure a shared machine's noise hurts most is measured while the JIT is fresh
        List<Streams> streams = new ArrayList<>();
        for (int b : plan.streamCounts()) {
            streams.add(streams(b, plan.streamSteps()));
            progress.accept(streams.get(streams.size() - 1).toString());
        }
        List<FirstToken> first = new ArrayList<>();
        if (plan.history() > 0) {
            first.add(chatFollowUp(plan));
            progress.accept(first.get(0).toString());
            first.add(ragSamePassages(plan));
            progress.accept(first.get(1).toString());
            first.add(ragFollowUp(plan));
            progress.accept(first.get(2).toString());
        }
        List<Speed> speeds = new ArrayList<>();
        for (int n : plan.promptLengths()) {
            speeds.add(new Speed(EngineBench.run(model, n, plan.decodeTokens(), 42 + n)));
            progress.accept(speeds.get(speeds.size() - 1).toString());
        }
        return new Report(model.description(), speeds, first, streams);
    }

    /** History of {@code plan.history()} tokens (prompt and answer) cached; a new message follows. */
    private FirstToken chatFollowUp(Plan plan) {
        int[] turn = tokens(plan.history() - ANSWER);
        int[] followUp = concat(concat(turn, tokens(ANSWER)), tokens(plan.message()));
        return compare("chat follow-up", turn, ANSWER, followUp);
    }

    /** A second question over the same passages: template, passages and rules cached, a new question follows. */
    private FirstToken ragSamePassages(Plan plan) {
        int[] shared = concat(concat(tokens(TEMPLATE), tokens(plan.passages())), tokens(RULES));
        return compare("RAG, same passages, new question", concat(shared, tokens(QUESTION)), 0,
                concat(shared, tokens(QUESTION)));
    }

    /** A RAG conversation's next turn: the previous turn cached, new passages and question follow. */
    private FirstToken ragFollowUp(Plan plan) {
        int[] turn = concat(concat(concat(tokens(TEMPLATE), tokens(plan.passages())), tokens(RULES)),
                tokens(QUESTION));
        int[] next = concat(concat(turn, tokens(ANSWER)), concat(tokens(plan.passages() / 2), tokens(QUESTION)));
        return compare("RAG follow-up turn, new passages", turn, ANSWER, next);
    }

    /**
     * Caches {@code first} and {@code answer} decoded tokens (the previous turn) in a pool slot, then times the
     * first token of {@code prompt} from that slot and from an empty one.
     */
    private FirstToken compare(String what, int[] first, int answer, int[] prompt) {
        int capacity = prompt.length + 8;
        try (KvSlotPool pool = new KvSlotPool(model, capacity, 2, 0, Integer.MAX_VALUE)) {
            KvSlotPool.Lease lease = pool.acquire(first);
            InferenceSession s = lease.slot().session();
            s.forward(first);
            lease.slot().appended(first, first.length);
            int[] one = new int[1];
            for (int i = 0; i < answer; i++) {
                one[0] = prompt[first.length + i];
                s.forward(one);
                lease.slot().appended(one, s.length());
            }
            pool.release(lease.slot());
            KvSlotPool.Lease warm = pool.acquire(prompt);
            long t0 = System.nanoTime();
            argmax(warm.slot().session().forward(Arrays.copyOfRange(prompt, warm.reused(), prompt.length)));
            double warmSeconds = (System.nanoTime() - t0) / 1e9;
            pool.release(warm.slot());
            KvSlotPool.Lease cold = pool.acquire(new int[] {0}); // a one-token prompt reuses nothing: the empty slot
            long t1 = System.nanoTime();
            argmax(cold.slot().session().forward(prompt));
            double coldSeconds = (System.nanoTime() - t1) / 1e9;
            return new FirstToken(what, prompt.length, warm.reused(), coldSeconds, warmSeconds);
        }
    }

    private Streams streams(int count, int steps) {
        List<InferenceSession> sessions = new ArrayList<>();
        try {
            float[][] logits = new float[count][vocab];
            for (int i = 0; i < count; i++) {
                InferenceSession s = model.newSession(STREAM_PROMPT + steps + 2);
                sessions.add(s);
                System.arraycopy(s.forward(tokens(STREAM_PROMPT)), 0, logits[i], 0, vocab);
            }
            step(sessions, logits); // warm-up: the JIT compiles this width's kernels
            long[] nanos = new long[steps];
            long total = 0;
            for (int t = 0; t < steps; t++) {
                long t0 = System.nanoTime();
                step(sessions, logits);
                nanos[t] = System.nanoTime() - t0;
                total += nanos[t];
            }
            Arrays.sort(nanos);
            int p99 = Math.min(steps - 1, (int) Math.ceil(0.99 * steps) - 1);
            return new Streams(count, steps, total / 1e9, nanos[p99] / 1e6, nanos[steps - 1] / 1e6);
        } finally {
            sessions.forEach(InferenceSession::close);
        }
    }

    private void step(List<InferenceSession> sessions, float[][] logits) {
        List<SequenceStep> steps = new ArrayList<>(sessions.size());
        for (int i = 0; i < sessions.size(); i++) {
            steps.add(SequenceStep.of(sessions.get(i), new int[] {argmax(logits[i])}, logits[i]));
        }
        model.forwardBatch(steps);
    }

    private static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    private int[] tokens(int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = random.nextInt(vocab);
        }
        return t;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
