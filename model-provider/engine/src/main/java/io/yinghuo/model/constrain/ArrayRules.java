package io.yinghuo.model.constrain;

import java.util.List;

import static io.yinghuo.model.constrain.JsonLexicon.ref;
import static io.yinghuo.model.constrain.JsonLexicon.seq;
import static io.yinghuo.model.constrain.JsonLexicon.whitespace;

/**
 * JSON arrays (RFC 8259 section 5) with an item rule and JSON Schema's minItems/maxItems: one rule per item count
 * until the count no longer matters, then a self-recursive tail rule (a tail call, so the parse stack stays flat).
 */
final class ArrayRules {

    private ArrayRules() {
    }

    /** More rules than this for one array's counts is a schema we refuse rather than a grammar we build. */
    static final int MAX_COUNTED_ITEMS = 10_000;

    /**
     * The sequence {@code '[' ws items ']'}, each item followed by optional whitespace, items separated by
     * {@code ',' ws}.
     *
     * @param maxItems -1 for no upper bound
     */
    static List<GrammarElement> array(GrammarBuilder grammar, String name, int item, int minItems, int maxItems) {
        // after[k]: what may follow the k-th item. Beyond "settled" items the count no longer matters.
        int settled = maxItems < 0 ? Math.max(1, minItems) : maxItems;
        if (settled > MAX_COUNTED_ITEMS) {
            throw new IllegalArgumentException("minItems/maxItems above " + MAX_COUNTED_ITEMS + " are not supported");
        }
        int[] after = new int[settled + 1];
        for (int k = 1; k <= settled; k++) {
            after[k] = grammar.newRule(name + "-after-" + k);
        }
        for (int k = 1; k <= settled; k++) {
            if (k >= minItems) {
                grammar.addAlternative(after[k], seq("]"));
            }
            if (maxItems < 0 || k < maxItems) {
                int next = k == settled ? after[k] : after[k + 1];
                grammar.addAlternative(after[k], seq(",", whitespace(), ref(item), whitespace(), ref(next)));
            }
        }
        int first = grammar.newRule(name + "-items");
        if (minItems == 0) {
            grammar.addAlternative(first, seq("]"));
        }
        if (maxItems != 0) {
            grammar.addAlternative(first, seq(ref(item), whitespace(), ref(after[1])));
        }
        return seq("[", whitespace(), ref(first));
    }
}
