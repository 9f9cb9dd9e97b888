package io.yinghuo.model.langchain4j;

import io.yinghuo.model.chat.FittedPrompt;
import io.yinghuo.model.generate.SamplingParams;

/** A chat request turned into what the engine runs: fitted prompt ids and sampling parameters. */
record PreparedChat(FittedPrompt prompt, SamplingParams params) {
}
