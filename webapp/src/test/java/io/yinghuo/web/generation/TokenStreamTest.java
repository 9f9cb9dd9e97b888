package io.yinghuo.web.generation;

import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

class TokenStreamTest {

    /** LangChain4j's streaming models throw an unsupported feature out of chat(): it arrives as a Failed event. */
    @Test
    void aRefusalThrownByChatArrivesAsAFailure() throws Exception {
        UnsupportedFeatureException refusal = new UnsupportedFeatureException("tools are not supported");
        StreamingChatModel model = new StreamingChatModel() {
            @Override
            public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
                throw refusal;
            }
        };
        TokenStream stream = TokenStream.start(model, ChatRequest.builder().messages(UserMessage.from("你好")).build());
        TokenStream.Event event = stream.next(1000);
        assertSame(refusal, assertInstanceOf(TokenStream.Failed.class, event).error());
    }
}
