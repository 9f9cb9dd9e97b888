/**
 * Constrained decoding: restricting generation, token by token, to the texts of a grammar — here JSON valid against
 * a JSON Schema, or any JSON — as llama.cpp's GBNF grammars, Outlines and XGrammar do.
 *
 * <p>{@link io.yinghuo.model.constrain.JsonGrammar} compiles a schema (the subset LangChain4j's JsonSchemaElement
 * types express) into a context-free grammar over UTF-8 bytes; a {@link io.yinghuo.model.constrain.TokenVocabulary}
 * holds the bytes each token of a tokenizer adds to the text, in a prefix tree; a
 * {@link io.yinghuo.model.constrain.TokenConstraint} made from the two tells
 * {@link io.yinghuo.model.generate.Generator} which tokens may come next. Inside, the parse is a pushdown automaton
 * whose stacks are persistent linked lists ({@code Frame}), so that trying a byte and backing out is free.
 *
 * <p>References: RFC 8259 (JSON), RFC 3629 (UTF-8), JSON Schema Core and Validation (draft 2020-12).
 */
package io.yinghuo.model.constrain;
