package io.yinghuo.model.constrain;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The JSON texts a generation may produce: those valid against a JSON Schema ({@link #forSchema}), any JSON object
 * (OpenAI's {@code response_format: json_object}, {@link #anyObject()}) or any JSON value ({@link #anyValue()}).
 * Compiled once, immutable and thread-safe; each generation takes a fresh {@link #newConstraint constraint}.
 *
 * <p>Text form: compact or lightly spaced JSON with no whitespace before the value or after it (so once an object
 * or array closes, only EOS may follow), whitespace runs of at most {@value JsonLexicon#MAX_WHITESPACE} spaces or
 * newlines after '{', '[', ',' and ':' and before '}', ']' and ','. Strings hold any well-formed UTF-8 (Chinese
 * included) and the escapes of RFC 8259.
 *
 * <pre>{@code
 * JsonGrammar grammar = JsonGrammar.forSchema(new ObjectMapper().readTree(schemaJson));
 * TokenVocabulary vocabulary = TokenVocabulary.of(tokenizer);     // once per tokenizer, cached
 * GenerationResult r = generator.generate(prompt, params, grammar.newConstraint(vocabulary), listener, cancel);
 * }</pre>
 */
public final class JsonGrammar {

    private final Grammar grammar;

    private JsonGrammar(Grammar grammar) {
        this.grammar = grammar;
    }

    /**
     * @throws IllegalArgumentException for a keyword outside the supported subset (the message names it, e.g.
     *                                  "unsupported JSON Schema keyword: pattern"), a malformed or unresolvable
     *                                  schema, or a left-recursive one
     * @see JsonSchemaCompiler for the subset
     */
    public static JsonGrammar forSchema(JsonNode schema) {
        Objects.requireNonNull(schema, "schema");
        return new JsonGrammar(JsonSchemaCompiler.compile(schema));
    }

    public static JsonGrammar anyObject() {
        return new JsonGrammar(JsonSchemaCompiler.anyObject());
    }

    public static JsonGrammar anyValue() {
        return new JsonGrammar(JsonSchemaCompiler.anyValue());
    }

    /**
     * A constraint for one generation through {@link io.yinghuo.model.generate.Generator}, whose answer text drops
     * one leading space (the first token's "▁"): that space is allowed before the JSON and is not part of it.
     */
    public TokenConstraint newConstraint(TokenVocabulary vocabulary) {
        return newConstraint(vocabulary, true);
    }

    /**
     * @param leadingSpaceDropped whether the consumer of the generated text drops one leading space (true for
     *                            {@code Generator}); false when the tokens' bytes are the text as they are
     */
    public TokenConstraint newConstraint(TokenVocabulary vocabulary, boolean leadingSpaceDropped) {
        return new GrammarConstraint(grammar, Objects.requireNonNull(vocabulary, "vocabulary"), leadingSpaceDropped);
    }

    Grammar grammar() {
        return grammar;
    }

    /** Whether {@code text} (as UTF-8, no leading space dropped) is a complete sentence of this grammar. */
    public boolean matches(String text) {
        ParseState state = ParseState.initial(grammar, false);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            state = state.advance(b & 0xFF);
            if (state == null) {
                return false;
            }
        }
        return state.isComplete();
    }

    /** Whether {@code text} can be continued into a sentence of this grammar (or is one). */
    public boolean matchesPrefix(String text) {
        return matchesPrefix(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether these UTF-8 bytes (possibly ending inside a character) can be continued into a sentence. */
    boolean matchesPrefix(byte[] utf8) {
        return ParseState.initial(grammar, false).advance(utf8, 0, utf8.length) != null;
    }
}
