/**
 * The LangChain4j provider: {@link io.yinghuo.model.langchain4j.YinghuoChatModel} and
 * {@link io.yinghuo.model.langchain4j.YinghuoStreamingChatModel} run a local GPTQ LLaMA-2 chat model through this
 * project's engine, built Ollama-style (self-typed builder, {@code doChat}, own request parameters, listeners, SPI
 * builder factories in {@code spi}); {@link io.yinghuo.model.langchain4j.YinghuoTokenCountEstimator} counts tokens
 * with the model's tokenizer for LangChain4j's splitters and memories.
 */
package io.yinghuo.model.langchain4j;
