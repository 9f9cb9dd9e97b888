package io.yinghuo.model.constrain;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the rules of a context-free grammar over bytes (each rule: alternatives, each a sequence of
 * {@link GrammarElement}s), in the spirit of llama.cpp's GBNF grammars, and compiles them into a {@link Grammar}.
 */
final class GrammarBuilder {

    private final List<String> names = new ArrayList<>();
    private final List<List<List<GrammarElement>>> rules = new ArrayList<>();

    /** A new rule with no alternatives yet; add them with {@link #addAlternative}. */
    int newRule(String name) {
        names.add(name);
        rules.add(new ArrayList<>());
        return rules.size() - 1;
    }

    void addAlternative(int rule, List<GrammarElement> sequence) {
        rules.get(rule).add(List.copyOf(sequence));
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
