package io.yinghuo.model.constrain;

import java.util.ArrayList;
import java.util.List;

/**
 * The lexical rules of JSON (RFC 8259) as grammar rules, created once per grammar: whitespace, strings, numbers,
 * literals, and any JSON value. Where RFC 8259 is unbounded in ways that only let a model ramble, bounds are set:
 * whitespace runs are at most {@value #MAX_WHITESPACE} bytes of space or newline (so the model cannot loop on
 * whitespace), integer parts at most {@value #MAX_INTEGER_DIGITS} digits (within a double's exact range), fractions
 * at most {@value #MAX_FRACTION_DIGITS} digits, exponents at most {@value #MAX_EXPONENT_DIGITS}. Everything the rules
 * accept is JSON that RFC 8259 parsers read.
 */
final class JsonLexicon {

    static final int MAX_WHITESPACE = 16;
    static final int MAX_INTEGER_DIGITS = 16;
    static final int MAX_FRACTION_DIGITS = 16;
    static final int MAX_EXPONENT_DIGITS = 3;

    private static final ByteSet DIGITS = ByteSet.range('0', '9');

    private final GrammarBuilder grammar;
    private int string = -1;
    private int integer = -1;
    private int number = -1;
    private int bool = -1;
    private int nul = -1;
    private int anyValue = -1;
    private int anyObject = -1;
    private int anyArray = -1;

    JsonLexicon(GrammarBuilder grammar) {
        this.grammar = grammar;
    }

    /** Optional whitespace: allowed after '{', '[', ',' and ':' and before '}', ']' and ','. */
    static GrammarElement whitespace() {
        return new GrammarElement.Repeat(ByteSet.ofChars(" \n"), 0, MAX_WHITESPACE);
    }

    static GrammarElement ref(int rule) {
        return new GrammarElement.Ref(rule);
    }

    /** Concatenates elements and lists of elements into one sequence. */
    static List<GrammarElement> seq(Object... parts) {
        List<GrammarElement> out = new ArrayList<>();
        for (Object part : parts) {
            if (part instanceof GrammarElement e) {
                out.add(e);
            } else if (part instanceof String s) {
                out.addAll(GrammarElement.literal(s));
            } else if (part instanceof List<?> list) {
                for (Object e : list) {
                    out.add((GrammarElement) e);
                }
            } else {
                throw new IllegalArgumentException("not a grammar part: " + part);
            }
        }
        return out;
    }

    int string() {
        if (string < 0) {
            string = grammar.rule("string", seq("\"", new GrammarElement.StringBody()));
        }
        return string;
    }

    /** RFC 8259 int with an optional minus: {@code -?(0|[1-9][0-9]*)}, digits bounded. */
    int integer() {
        if (integer < 0) {
            int unsigned = grammar.rule("unsigned-integer", seq("0"),
                    seq(new GrammarElement.Bytes(ByteSet.range('1', '9')),
                            new GrammarElement.Repeat(DIGITS, 0, MAX_INTEGER_DIGITS - 1)));
            // The two alternatives start with different bytes, so the parse never forks here.
            integer = grammar.rule("integer", seq(ref(unsigned)), seq("-", ref(unsigned)));
        }
        return integer;
    }

    /** RFC 8259 number: int, optional fraction, optional exponent. */
    int number() {
        if (number < 0) {
            int fraction = grammar.rule("fraction", seq(),
                    seq(".", new GrammarElement.Repeat(DIGITS, 1, MAX_FRACTION_DIGITS)));
            int exponent = grammar.rule("exponent", seq(),
                    seq(new GrammarElement.Bytes(ByteSet.ofChars("eE")),
                            new GrammarElement.Repeat(ByteSet.ofChars("+-"), 0, 1),
                            new GrammarElement.Repeat(DIGITS, 1, MAX_EXPONENT_DIGITS)));
            number = grammar.rule("number", seq(ref(integer()), ref(fraction), ref(exponent)));
        }
        return number;
    }

    int bool() {
        if (bool < 0) {
            bool = grammar.rule("boolean", seq("true"), seq("false"));
        }
        return bool;
    }

    int nul() {
        if (nul < 0) {
            nul = grammar.rule("null", seq("null"));
        }
        return nul;
    }

    /**
     * Any JSON value (response_format json_object asks for an object: {@link #anyObject()}). The rule ids are
     * taken before the alternatives are added, so value, object and array can refer to each other.
     */
    int anyValue() {
        if (anyValue < 0) {
            anyValue = grammar.newRule("value");
            for (int alternative : new int[] {anyObject(), anyArray(), string(), number(), bool(), nul()}) {
                grammar.addAlternative(anyValue, seq(ref(alternative)));
            }
        }
        return anyValue;
    }

    /** Any JSON object: {@code '{' ws ( '}' | member ( ',' ws member )* '}' )}, a member: string ':' ws value ws. */
    int anyObject() {
        if (anyObject < 0) {
            anyObject = grammar.newRule("object");
            int value = anyValue();
            List<GrammarElement> member = seq(ref(string()), ":", whitespace(), ref(value), whitespace());
            int more = grammar.newRule("object-more");
            grammar.addAlternative(more, seq("}"));
            grammar.addAlternative(more, seq(",", whitespace(), member, ref(more)));
            int body = grammar.rule("object-body", seq("}"), seq(member, ref(more)));
            grammar.addAlternative(anyObject, seq("{", whitespace(), ref(body)));
        }
        return anyObject;
    }

    int anyArray() {
        if (anyArray < 0) {
            anyArray = grammar.newRule("array");
            grammar.addAlternative(anyArray, ArrayRules.array(grammar, "array", anyValue(), 0, -1));
        }
        return anyArray;
    }
}
