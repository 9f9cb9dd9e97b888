package io.yinghuo.model.langchain4j;

import io.yinghuo.model.langchain4j.spi.YinghuoChatModelBuilderFactory;
import io.yinghuo.model.langchain4j.spi.YinghuoStreamingChatModelBuilderFactory;

import java.util.concurrent.atomic.AtomicInteger;

/** SPI factories registered for the tests; their builders behave exactly like the plain ones. */
public final class TestBuilderFactories {

    static final AtomicInteger created = new AtomicInteger();

    private TestBuilderFactories() {
    }

    static final class ChatBuilder extends YinghuoChatModel.YinghuoChatModelBuilder {
    }

    static final class StreamingBuilder extends YinghuoStreamingChatModel.YinghuoStreamingChatModelBuilder {
    }

    public static final class Chat implements YinghuoChatModelBuilderFactory {
        @Override
        public YinghuoChatModel.YinghuoChatModelBuilder get() {
            created.incrementAndGet();
            return new ChatBuilder();
        }
    }

    public static final class Streaming implements YinghuoStreamingChatModelBuilderFactory {
        @Override
        public YinghuoStreamingChatModel.YinghuoStreamingChatModelBuilder get() {
            created.incrementAndGet();
            return new StreamingBuilder();
        }
    }
}
