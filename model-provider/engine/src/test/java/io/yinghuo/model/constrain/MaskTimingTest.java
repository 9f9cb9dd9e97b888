package io.yinghuo.model.constrain;

import com.fasterxml.jackson.databind.JsonNode;
import io.yinghuo.model.testing.SharedData;
import io.yinghuo.model.tokenizer.SentencePieceTokenizer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Prints what computing the allowed-token mask costs per decode step over the real 55,296-piece vocabulary, cold
 * (first round, JIT still compiling) and warm, for short and long values. Asserts nothing about time: the machine is
 * shared; the figures are for the report.
 */
class MaskTimingTest {

    private static final String SCHEMA = """
            {"type":"object","properties":{
              "name":{"type":"string"},
              "age":{"type":"integer"},
              "city":{"type":"string","enum":["北京","上海","广州"]},
              "tags":{"type":"array","items":{"type":"string"}},
              "address":{"$ref":"#/$defs/Address"},
              "score":{"type":"number"}},
             "required":["name","age","city","tags"],"additionalProperties":false,
             "$defs":{"Address":{"type":"object","properties":{"street":{"type":"string"},
               "next":{"anyOf":[{"$ref":"#/$defs/Address"},{"type":"null"}]}},"required":["street"]}}}
            """;

    @Test
    void maskTimePerStepOverTheRealVocabulary() throws Exception {
        SentencePieceTokenizer tokenizer = SentencePieceTokenizer.load(SharedData.chineseLlama2Tokenizer());
        long t0 = System.nanoTime();
        TokenVocabulary vocabulary = TokenVocabulary.of(tokenizer);
        long built = System.nanoTime() - t0;
        System.out.printf("vocabulary %d tokens, trie %d nodes, deepest %d bytes, built in %.1f ms%n",
                vocabulary.size(), vocabulary.trie().nodeCount(), vocabulary.trie().maxDepth(), built / 1e6);
        t0 = System.nanoTime();
        vocabulary.stringBodyTokens();
        System.out.printf("string-state token tables built in %.1f ms (once per vocabulary)%n",
                (System.nanoTime() - t0) / 1e6);
        JsonNode schema = ConstrainedRun.STRICT.readTree(SCHEMA);
        JsonGrammar grammar = JsonGrammar.forSchema(schema);
        for (int round = 0; round < 4; round++) { // the first rounds warm the JIT up
            boolean last = round == 0 || round == 3; // cold (JIT still compiling) and warm
            report("schema", grammar.newConstraint(vocabulary), vocabulary, round, 0, last);
            report("schema, long values", grammar.newConstraint(vocabulary), vocabulary, round, 200, last);
            report("any JSON", JsonGrammar.anyValue().newConstraint(vocabulary), vocabulary, round, 200, last);
            report("any object", JsonGrammar.anyObject().newConstraint(vocabulary), vocabulary, round, 200, last);
        }
    }

    /** Random walks through the constraint, timing each mask; prints median, 90th percentile and max. */
    private static void report(String label, TokenConstraint constraint, TokenVocabulary vocabulary, int round,
                               int avoidClosingSteps, boolean print) {
        long[] mask = new long[(vocabulary.size() + 63) / 64];
        SplittableRandom random = new SplittableRandom(round);
        float[] bias = ConstrainedRun.closingBias(vocabulary, random);

        long[] times = new long[600];
        int steps = 0;
        long allowedTotal = 0;
        while (steps < times.length && !constraint.isComplete()) {
            long start = System.nanoTime();
            int allowed = constraint.fillAllowed(mask);
            times[steps++] = System.nanoTime() - start;
            allowedTotal += allowed;
            int best = -1;
            float bestScore = Float.NEGATIVE_INFINITY;
            for (int id = 0; id < vocabulary.size(); id++) {
                if ((mask[id >>> 6] & (1L << (id & 63))) != 0) {
                    // First avoid closing quotes and brackets (long strings, deep values), then seek them.
                    float score = (steps <= avoidClosingSteps ? -bias[id] : bias[id]) + 2 * (float) random.nextDouble();
                    if (score > bestScore) {
                        bestScore = score;
                        best = id;
                    }
                }
            }
            if (best == vocabulary.eosId()) {
                break;
            }
            constraint.accept(best);
        }
        long[] sorted = Arrays.copyOf(times, steps);
        Arrays.sort(sorted);
        long sum = Arrays.stream(sorted).sum();
        if (print) {
            System.out.printf("round %d %-20s %3d steps: mask mean %.3f ms, median %.3f, p90 %.3f, max %.3f"
                            + " (first step %.3f);"
                            + " %d tokens allowed on average%n", round, label, steps, sum / 1e6 / steps,
                    sorted[steps / 2] / 1e6, sorted[steps * 9 / 10] / 1e6, sorted[steps - 1] / 1e6, times[0] / 1e6,
                    allowedTotal / steps);
        }
    }
}
