package io.yinghuo.model.langchain4j.spi;

import io.yinghuo.model.langchain4j.YinghuoChatModel;

import java.util.function.Supplier;

/**
 * A service-provider hook, as every LangChain4j provider has one: a framework (Spring, Quarkus) that registers an
 * implementation under {@code META-INF/services/io.yinghuo.model.langchain4j.spi.YinghuoChatModelBuilderFactory}
 * gets its builder (e.g. pre-configured from application properties) from {@link YinghuoChatModel#builder()}.
 * This library registers none itself.
 */
public interface YinghuoChatModelBuilderFactory extends Supplier<YinghuoChatModel.YinghuoChatModelBuilder> {
}
