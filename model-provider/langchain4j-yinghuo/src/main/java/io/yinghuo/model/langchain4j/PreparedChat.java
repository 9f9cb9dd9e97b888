package io.yinghuo.model.langchain4j;

import io.yinghuo.model.chat.FittedPrompt;
import io.yinghuo.model.generate.SamplingParams;

/**
 * A chat request turned into what the engine runs: fitted prompt ids (prefill included) and sampling parameters,
 * the form of the answer (free text, JSON or a tool call) and the id its response will carry.
 */
record PreparedChat(FittedPrompt prompt, SamplingParams params, OutputFormat format, String id) {
}
