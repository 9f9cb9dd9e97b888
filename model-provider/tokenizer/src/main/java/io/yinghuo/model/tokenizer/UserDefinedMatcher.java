package io.yinghuo.model.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Longest-prefix match of USER_DEFINED pieces (spm's {@code PrefixMatcher}): such a piece is taken whole, never split
 * into characters nor merged. LLaMA tokenizers have none, so {@link #EMPTY} is the common case.
 */
final class UserDefinedMatcher {
    static final UserDefinedMatcher EMPTY = new UserDefinedMatcher(List.of());

    private final Map<Character, List<char[]>> byFirstChar = new HashMap<>();

    UserDefinedMatcher(List<String> symbols) {
        for (String symbol : symbols) {
            byFirstChar.computeIfAbsent(symbol.charAt(0), c -> new ArrayList<>()).add(symbol.toCharArray());
        }
        for (List<char[]> list : byFirstChar.values()) {
            list.sort(Comparator.comparingInt((char[] s) -> s.length).reversed());
        }
    }

    boolean isEmpty() {
        return byFirstChar.isEmpty();
    }

    /** Length in chars of the longest symbol at {@code text[position]} (before {@code end}), or 0. */
    int match(CharSequence text, int position, int end) {
        List<char[]> candidates = byFirstChar.get(text.charAt(position));
        if (candidates == null) {
            return 0;
        }
        for (char[] symbol : candidates) {
            if (symbol.length <= end - position && regionEquals(text, position, symbol)) {
                return symbol.length;
            }
        }
        return 0;
    }

    private static boolean regionEquals(CharSequence text, int position, char[] symbol) {
        for (int i = 0; i < symbol.length; i++) {
            if (text.charAt(position + i) != symbol[i]) {
                return false;
            }
        }
        return true;
    }
}
