package io.yinghuo.model.constrain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A compiled byte-level grammar, immutable and thread-safe: one grammar serves any number of concurrent
 * {@link GrammarConstraint}s.
 *
 * <p>Layout, as llama.cpp's grammar engine lays out GBNF rules: every alternative of every rule is a run of
 * positions ending in an END position; position 0 holds a reference to the root rule. A parse stack
 * ({@link Frame}) holds at its top the position of the terminal to match next and below it the positions to return
 * to once the rule being matched ends.
 *
 * <p>What moving the parse to a position means is precomputed once per position ({@link #expansions}): the list of
 * stack segments to push (the chain of rule entries down to the first terminal), plus {@code null} when everything
 * from that position on can match the empty string, meaning "return to the frame below". Return positions that are
 * the last of their alternative are never pushed (tail calls), so right-recursive repetition — array items, object
 * members — keeps the stack flat however long the output gets.
 */
final class Grammar {

    static final int END = 0;
    static final int BYTES = 1;
    static final int STRING_BODY = 2;
    static final int REPEAT = 3;
    static final int REF = 4;

    private static final int[][] IN_PROGRESS = new int[0][];

    final int[] kind;
    final ByteSet[] set;
    final int[] ref;
    final int[] repeatMin;
    final int[] repeatMax;
    /** Per position: segments to push (bottom first, terminal position last), or null = return to the frame below. */
    final int[][][] expansions;

    private final List<String> ruleNames;
    private final int[][] alternativeStarts;

    Grammar(List<String> ruleNames, List<List<List<GrammarElement>>> rules, int root) {
        this.ruleNames = List.copyOf(ruleNames);
        int size = 2;
        for (List<List<GrammarElement>> rule : rules) {
            for (List<GrammarElement> alternative : rule) {
                size += alternative.size() + 1;
            }
        }
        kind = new int[size];
        set = new ByteSet[size];
        ref = new int[size];
        repeatMin = new int[size];
        repeatMax = new int[size];
        alternativeStarts = new int[rules.size()][];
        kind[0] = REF;
        ref[0] = root;
        kind[1] = END;
        int p = 2;
        for (int r = 0; r < rules.size(); r++) {
            List<List<GrammarElement>> rule = rules.get(r);
            alternativeStarts[r] = new int[rule.size()];
            for (int a = 0; a < rule.size(); a++) {
                alternativeStarts[r][a] = p;
                for (GrammarElement element : rule.get(a)) {
                    place(p++, element, rules.size());
                }
                kind[p++] = END;
            }
        }
        expansions = new int[size][][];
        for (int position = 0; position < size; position++) {
            expansionsOf(position);
        }
    }

    /** The number of positions (for tests and diagnostics). */
    int size() {
        return kind.length;
    }

    boolean isTerminal(int position) {
        int k = kind[position];
        return k == BYTES || k == STRING_BODY || k == REPEAT;
    }

    private void place(int p, GrammarElement element, int ruleCount) {
        if (element instanceof GrammarElement.Bytes b) {
            kind[p] = BYTES;
            set[p] = b.set();
        } else if (element instanceof GrammarElement.StringBody) {
            kind[p] = STRING_BODY;
        } else if (element instanceof GrammarElement.Repeat r) {
            kind[p] = REPEAT;
            set[p] = r.set();
            repeatMin[p] = r.min();
            repeatMax[p] = r.max();
        } else if (element instanceof GrammarElement.Ref r) {
            if (r.rule() < 0 || r.rule() >= ruleCount) {
                throw new IllegalArgumentException("reference to undefined grammar rule " + r.rule());
            }
            kind[p] = REF;
            ref[p] = r.rule();
        }
    }

    private int[][] expansionsOf(int p) {
        int[][] known = expansions[p];
        if (known == IN_PROGRESS) {
            String through = kind[p] == REF ? "rule '" + ruleNames.get(ref[p]) + "'" : "grammar position " + p;
            throw new IllegalArgumentException("the schema is left-recursive: a reference reaches itself again "
                    + "before any JSON text is matched (through " + through + ")");
        }
        if (known != null) {
            return known;
        }
        expansions[p] = IN_PROGRESS;
        List<int[]> out = new ArrayList<>();
        switch (kind[p]) {
            case END -> out.add(null);
            case BYTES, STRING_BODY -> out.add(new int[] {p});
            case REPEAT -> {
                out.add(new int[] {p});
                if (repeatMin[p] == 0) {
                    addAll(out, expansionsOf(p + 1));
                }
            }
            case REF -> {
                boolean tailCall = kind[p + 1] == END;
                for (int start : alternativeStarts[ref[p]]) {
                    for (int[] segment : expansionsOf(start)) {
                        if (segment == null) {
                            addAll(out, expansionsOf(p + 1));
                        } else if (tailCall) {
                            addDistinct(out, segment);
                        } else {
                            int[] withReturn = new int[segment.length + 1];
                            withReturn[0] = p + 1;
                            System.arraycopy(segment, 0, withReturn, 1, segment.length);
                            addDistinct(out, withReturn);
                        }
                    }
                }
            }
            default -> throw new IllegalStateException("unknown position kind " + kind[p]);
        }
        int[][] result = out.toArray(new int[0][]);
        expansions[p] = result;
        return result;
    }

    private static void addAll(List<int[]> out, int[][] segments) {
        for (int[] segment : segments) {
            addDistinct(out, segment);
        }
    }

    private static void addDistinct(List<int[]> out, int[] segment) {
        for (int[] existing : out) {
            if (Arrays.equals(existing, segment)) {
                return;
            }
        }
        out.add(segment);
    }
}
