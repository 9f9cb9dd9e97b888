package io.yinghuo.model.constrain;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the rules of a context-free grammar over bytes (each rule: alternatives, each a sequence of
 * {@link GrammarElement}s), in the spirit of llama.cpp's GBNF grammars, and compiles them into a {@link Grammar}.
 */
final class GrammarBuilder {

    /**
     * The most rules and elements one grammar may have. Every element holds a byte set (about 80 bytes with its
     * element), so without a bound a request's schema of a few hundred kilobytes (thousands of arrays counted up to
     * their maxItems, huge enums) made the server build a grammar of hundreds of megabytes. Real tool and response
     * schemas need a few thousand elements; one array counted to {@link ArrayRules#MAX_COUNTED_ITEMS} about 100,000.
     */
    static final int MAX_RULES = 50_000;
    static final int MAX_ELEMENTS = 500_000;
    /** Rule names are paths into the schema; in a deep schema only their ends tell rules apart in a message. */
    static final int MAX_NAME_CHARS = 160;

    private final List<String> names = new ArrayList<>();
    private final List<List<List<GrammarElement>>> rules = new ArrayList<>();
    private long elements;

    /**
     * A new rule with no alternatives yet; add them with {@link #addAlternative}.
     *
     * @throws IllegalArgumentException past {@link #MAX_RULES}
     */
    int newRule(String name) {
        if (rules.size() >= MAX_RULES) {
            throw tooLarge(MAX_RULES + " grammar rules");
        }
        names.add(name.length() <= MAX_NAME_CHARS ? name
                : "…" + name.substring(name.length() - MAX_NAME_CHARS + 1));
        rules.add(new ArrayList<>());
        return rules.size() - 1;
    }

    /** @throws IllegalArgumentException past {@link #MAX_ELEMENTS} in all */
    void addAlternative(int rule, List<GrammarElement> sequence) {
        elements += sequence.size();
        if (elements > MAX_ELEMENTS) {
            throw tooLarge(MAX_ELEMENTS + " grammar elements");
        }
        rules.get(rule).add(List.copyOf(sequence));
    }

    private static IllegalArgumentException tooLarge(String what) {
        return new IllegalArgumentException("the schema is too large to follow: it needs more than " + what
                + " (fewer properties or enum values, shorter enum values, or smaller maxItems)");
    }

    /** A rule made of the given alternatives. */
    @SafeVarargs
    final int rule(String name, List<GrammarElement>... alternatives) {
        int id = newRule(name);
        for (List<GrammarElement> alternative : alternatives) {
            addAlternative(id, alternative);
        }
        return id;
    }

    String name(int rule) {
        return names.get(rule);
    }

    /**
     * @throws IllegalArgumentException when a rule has no alternatives or the grammar is left-recursive
     */
    Grammar build(int root) {
        for (int r = 0; r < rules.size(); r++) {
            if (rules.get(r).isEmpty()) {
                throw new IllegalArgumentException("grammar rule '" + names.get(r) + "' matches nothing");
            }
        }
        return new Grammar(names, rules, root);
    }
}
