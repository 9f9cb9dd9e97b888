package io.yinghuo.model.constrain;

import java.util.Arrays;

/**
 * The inside of a JSON string, after the opening quote, up to and including the closing quote, as a byte-level
 * deterministic automaton: RFC 8259 section 7 (unescaped characters U+0020 and up except '"' and '\', the two-character
 * escapes and {@code \}{@code uXXXX}) over well-formed UTF-8 as RFC 3629 section 4 defines it (no overlong forms, no
 * surrogates, nothing above U+10FFFF). Characters may be split across tokens anywhere: the automaton state says how
 * many continuation bytes are still owed and in which range the next one must lie, which is how a token-level
 * constraint handles partial UTF-8 (llama.cpp's grammar sampler keeps a similar "partial UTF-8" state).
 *
 * <p>Deterministic on purpose: one stack entry per open string, however many alternatives a character has, keeps the
 * mask walk cheap inside long strings.
 */
final class JsonStringBody {

    /** Result of {@link #next}: the byte is not allowed here. */
    static final int REJECT = -1;
    /** Result of {@link #next}: the closing quote; the string is complete. */
    static final int CLOSED = -2;

    static final int AT_CHARACTER = 0;
    private static final int AFTER_BACKSLASH = 1;
    private static final int HEX_4 = 2; // four hex digits still to come; HEX_1 = 5
    private static final int CONTINUATION_1 = 6; // one 80..BF byte owed
    private static final int CONTINUATION_2 = 7;
    private static final int CONTINUATION_3 = 8;
    private static final int AFTER_E0 = 9; // A0..BF then one more (no overlong 3-byte forms)
    private static final int AFTER_ED = 10; // 80..9F then one more (no UTF-16 surrogates)
    private static final int AFTER_F0 = 11; // 90..BF then two more (no overlong 4-byte forms)
    private static final int AFTER_F4 = 12; // 80..8F then two more (nothing above U+10FFFF)
    private static final int STATES = 13;

    private static final int[][] TRANSITIONS = new int[STATES][256];
    private static final ByteSet[] ALLOWED = new ByteSet[STATES];

    static {
        for (int[] row : TRANSITIONS) {
            Arrays.fill(row, REJECT);
        }
        int[] start = TRANSITIONS[AT_CHARACTER];
        for (int b = 0x20; b <= 0x7F; b++) {
            start[b] = AT_CHARACTER;
        }
        start['"'] = CLOSED;
        start['\\'] = AFTER_BACKSLASH;
        set(start, 0xC2, 0xDF, CONTINUATION_1);
        start[0xE0] = AFTER_E0;
        set(start, 0xE1, 0xEC, CONTINUATION_2);
        start[0xED] = AFTER_ED;
        set(start, 0xEE, 0xEF, CONTINUATION_2);
        start[0xF0] = AFTER_F0;
        set(start, 0xF1, 0xF3, CONTINUATION_3);
        start[0xF4] = AFTER_F4;

        for (char c : "\"\\/bfnrt".toCharArray()) {
            TRANSITIONS[AFTER_BACKSLASH][c] = AT_CHARACTER;
        }
        TRANSITIONS[AFTER_BACKSLASH]['u'] = HEX_4;
        for (int state = HEX_4; state < HEX_4 + 4; state++) {
            int next = state == HEX_4 + 3 ? AT_CHARACTER : state + 1;
            set(TRANSITIONS[state], '0', '9', next);
            set(TRANSITIONS[state], 'a', 'f', next);
            set(TRANSITIONS[state], 'A', 'F', next);
        }
        set(TRANSITIONS[CONTINUATION_1], 0x80, 0xBF, AT_CHARACTER);
        set(TRANSITIONS[CONTINUATION_2], 0x80, 0xBF, CONTINUATION_1);
        set(TRANSITIONS[CONTINUATION_3], 0x80, 0xBF, CONTINUATION_2);
        set(TRANSITIONS[AFTER_E0], 0xA0, 0xBF, CONTINUATION_1);
        set(TRANSITIONS[AFTER_ED], 0x80, 0x9F, CONTINUATION_1);
        set(TRANSITIONS[AFTER_F0], 0x90, 0xBF, CONTINUATION_2);
        set(TRANSITIONS[AFTER_F4], 0x80, 0x8F, CONTINUATION_2);

        for (int state = 0; state < STATES; state++) {
            ByteSet allowed = ByteSet.EMPTY;
            for (int b = 0; b < 256; b++) {
                if (TRANSITIONS[state][b] != REJECT) {
                    allowed = allowed.union(ByteSet.of(b));
                }
            }
            ALLOWED[state] = allowed;
        }
    }

    private JsonStringBody() {
    }

    /** The state after {@code b} in {@code state}: another state, {@link #REJECT} or {@link #CLOSED}. */
    static int next(int state, int b) {
        return TRANSITIONS[state][b];
    }

    /** The bytes {@link #next} accepts in {@code state}. */
    static ByteSet allowed(int state) {
        return ALLOWED[state];
    }

    private static void set(int[] row, int from, int to, int value) {
        for (int b = from; b <= to; b++) {
            row[b] = value;
        }
    }
}
