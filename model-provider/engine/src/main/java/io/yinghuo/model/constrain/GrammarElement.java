package io.yinghuo.model.constrain;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** One element of a grammar rule's alternative, as {@link GrammarBuilder} takes it. */
sealed interface GrammarElement {

    /** One byte from a set. */
    record Bytes(ByteSet set) implements GrammarElement {
    }

    /** Another rule (possibly the enclosing one: recursion is allowed, left recursion is not). */
    record Ref(int rule) implements GrammarElement {
    }

    /** The inside of a JSON string up to and including its closing quote ({@link JsonStringBody}). */
    record StringBody() implements GrammarElement {
    }

    /** Between {@code min} and {@code max} bytes, each from {@code set}: bounded runs (digits, whitespace). */
    record Repeat(ByteSet set, int min, int max) implements GrammarElement {
        public Repeat {
            if (min < 0 || max < Math.max(1, min)) {
                throw new IllegalArgumentException("bad repeat bounds " + min + ".." + max);
            }
        }
    }

    /** The bytes of {@code text}'s UTF-8 encoding, one element each. */
    static List<GrammarElement> literal(String text) {
        List<GrammarElement> elements = new ArrayList<>();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            elements.add(new Bytes(ByteSet.of(b & 0xFF)));
        }
        return elements;
    }
}
