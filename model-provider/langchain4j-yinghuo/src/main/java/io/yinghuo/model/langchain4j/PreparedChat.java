package io.yinghuo.model.langchain4j;

import io.yinghuo.model.chat.FittedPrompt;
import io.yinghuo.model.generate.SamplingParams;

/**
 * A chat request turned into what the engine runs: fitted prompt ids (prefill included) and sampling parameters,
 * and the id its response will carry.
 */
record PreparedChat(FittedPrompt prompt, SamplingParams params, String id) {
}
