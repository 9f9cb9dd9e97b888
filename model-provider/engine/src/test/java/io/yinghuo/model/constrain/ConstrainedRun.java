package io.yinghuo.model.constrain;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yinghuo.model.tokenizer.StreamingDecoder;
import io.yinghuo.model.tokenizer.Tokenizer;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Helpers shared by the constrained-generation tests. */
final class ConstrainedRun {

    /** Strict: trailing content after the value is an error, not ignored. */
    static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ConstrainedRun() {
    }

    /** The text Generator shows for these ids, decoded independently: the continuation text less one leading space. */
    static String answerText(Tokenizer tokenizer, int[] ids) {
        StreamingDecoder decoder = tokenizer.streamingDecoder();
        StringBuilder text = new StringBuilder();
        for (int id : ids) {
            text.append(decoder.accept(id));
        }
        text.append(decoder.flush());
        return text.length() > 0 && text.charAt(0) == ' ' ? text.substring(1) : text.toString();
    }

    /** The bytes of the tokens as the constraint sees them: concatenated, less one leading space. */
    static byte[] answerBytes(TokenVocabulary vocabulary, int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int id : ids) {
            out.writeBytes(vocabulary.bytes(id));
        }
        byte[] bytes = out.toByteArray();
        return bytes.length > 0 && bytes[0] == ' ' ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    /** Parses strictly; null when the text is not one JSON value. */
    static JsonNode parse(String text) {
        try {
            JsonNode node = STRICT.readTree(text);
            return node == null || node.isMissingNode() ? null : node;
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * Logit biases that make random generations finish: tokens holding a closing quote, brace or bracket are
     * favoured, each by a random amount.
     */
    static float[] closingBias(TokenVocabulary vocabulary, SplittableRandom random) {
        float[] bias = new float[vocabulary.size()];
        for (int id = 0; id < bias.length; id++) {
            byte[] bytes = vocabulary.bytes(id);
            if (bytes == null) {
                continue;
            }
            for (byte b : bytes) {
                if (b == '"' || b == '}' || b == ']') {
                    bias[id] = 3 + 3 * (float) random.nextDouble();
                    break;
                }
            }
        }
        bias[vocabulary.eosId()] = 4;
        return bias;
    }

    /**
     * Finishes a constrained text by always taking the allowed single-byte token that closes soonest (a quote or
     * bracket before a value, "null" or 0 before anything longer, a comma last; ties broken at random, so that
     * neither a string full of ']' nor a chain of optional recursive properties goes on for ever). Returns the ids
     * it took, or null when {@code maxSteps} were not enough.
     */
    static int[] complete(TokenConstraint constraint, TokenVocabulary vocabulary, int maxSteps, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] mask = new long[(vocabulary.size() + 63) / 64];
        List<Integer> taken = new ArrayList<>();
        for (int step = 0; step < maxSteps; step++) {
            if (constraint.canEnd()) {
                return taken.stream().mapToInt(Integer::intValue).toArray();
            }
            constraint.fillAllowed(mask);
            int best = -1;
            int bestScore = Integer.MIN_VALUE;
            for (int id = 0; id < vocabulary.size(); id++) {
                byte[] bytes = vocabulary.bytes(id);
                if ((mask[id >>> 6] & (1L << (id & 63))) == 0 || bytes == null || bytes.length != 1) {
                    continue;
                }
                int score = closingScore(bytes[0] & 0xFF) * 4 + random.nextInt(4);
                if (score > bestScore) {
                    bestScore = score;
                    best = id;
                }
            }
            if (best < 0) {
                throw new AssertionError("no single-byte token allowed while completing");
            }
            constraint.accept(best);
            taken.add(best);
        }
        return null;
    }

    private static int closingScore(int b) {
        return switch (b) {
            case '"', '}', ']' -> 10;
            case '0' -> 6;
            case 'n', 'u', 'l' -> 5;
            case '{', '[' -> 2;
            case ',' -> 1;
            case ' ', '\n' -> -5;
            default -> 4;
        };
    }

    static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
