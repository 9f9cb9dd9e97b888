package io.yinghuo.model.langchain4j.spi;

import io.yinghuo.model.langchain4j.YinghuoStreamingChatModel;

import java.util.function.Supplier;

/** The SPI hook for {@link YinghuoStreamingChatModel#builder()}; see {@link YinghuoChatModelBuilderFactory}. */
public interface YinghuoStreamingChatModelBuilderFactory
        extends Supplier<YinghuoStreamingChatModel.YinghuoStreamingChatModelBuilder> {
}
