/**
 * Chat prompts: a {@link io.yinghuo.model.chat.Conversation} (system prompt, completed exchanges, question) becomes
 * prompt ids through a {@link io.yinghuo.model.chat.ChatTemplate} that reproduces a model family's reference encoding
 * ({@code alpaca2}, {@code llama2-chat}, {@code firefly}, {@code raw}; each template names the upstream script it
 * follows), without letting message text inject control tokens. {@link io.yinghuo.model.chat.ChatTemplates} finds
 * templates by name or from a model folder; {@link io.yinghuo.model.chat.ContextFitter} drops the oldest exchanges to
 * fit the context.
 */
package io.yinghuo.model.chat;
