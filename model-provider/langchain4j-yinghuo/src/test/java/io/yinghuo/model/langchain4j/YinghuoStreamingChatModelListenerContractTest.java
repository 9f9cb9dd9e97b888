package io.yinghuo.model.langchain4j;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.common.AbstractStreamingChatModelListenerIT;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * LangChain4j's {@link AbstractStreamingChatModelListenerIT}: listeners see the merged request, the response (with
 * its id) and, for a request the model refuses, the very exception the handler gets in onError. The failing model
 * is one whose system prompt alone overflows the context ({@link ContextLengthExceededException}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class YinghuoStreamingChatModelListenerContractTest extends AbstractStreamingChatModelListenerIT {

    @TempDir
    static Path dir;
    ContractModels models;

    @BeforeAll
    void load() {
        models = new ContractModels(dir);
    }

    @AfterAll
    void close() {
        models.close();
    }

    @Override
    protected StreamingChatModel createModel(ChatModelListener listener) {
        return models.streaming(YinghuoChatRequestParameters.builder().temperature(temperature()).topP(topP())
                .maxOutputTokens(maxTokens()).build(), listener);
    }

    @Override
    protected String modelName() {
        return models.modelName();
    }

    @Override
    protected StreamingChatModel createFailingModel(ChatModelListener listener) {
        return models.failingStreaming(listener);
    }

    @Override
    protected Class<? extends Exception> expectedExceptionClass() {
        return ContextLengthExceededException.class;
    }

    @Override
    protected boolean supportsTools() {
        return ProviderCapabilities.TOOLS;
    }
}
