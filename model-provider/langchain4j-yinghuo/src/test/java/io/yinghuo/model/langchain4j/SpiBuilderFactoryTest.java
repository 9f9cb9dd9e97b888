package io.yinghuo.model.langchain4j;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** {@code builder()} consults the SPI factories registered under META-INF/services (here: the test ones). */
class SpiBuilderFactoryTest {

    @Test
    void shouldTakeBuildersFromRegisteredFactories() {
        int before = TestBuilderFactories.created.get();
        assertInstanceOf(TestBuilderFactories.ChatBuilder.class, YinghuoChatModel.builder());
        assertInstanceOf(TestBuilderFactories.StreamingBuilder.class, YinghuoStreamingChatModel.builder());
        assertEquals(before + 2, TestBuilderFactories.created.get());
    }
}
