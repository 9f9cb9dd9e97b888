package io.yinghuo.web;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.yinghuo.web.generation.GenerationQueue;
import io.yinghuo.web.generation.QueuedGeneration;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An {@link Error} on the request's own thread while it relays a generation (a stack overflow or an exhausted heap
 * while writing a token) ends the request like a client that went away: the generation is cancelled and the model
 * given back, so that it does not go on unread beside the next request's.
 */
class RequestThreadErrorsTest {

    @Test
    void anErrorWhileWritingATokenCancelsTheGenerationAndLeavesTheQueue() throws Exception {
        ClientProbeTest.CountingModel model = new ClientProbeTest.CountingModel();
        GenerationQueue queue = new GenerationQueue(5);
        StackOverflowError failed = new StackOverflowError("while writing a token");
        QueuedGeneration.Listener listener = new QueuedGeneration.Listener() {
            @Override
            public void queued(int ahead) {
            }

            @Override
            public void token(String text) {
                throw failed;
            }

            @Override
            public void heartbeat() {
            }
        };
        ChatRequest endless = ChatRequest.builder()
                .messages(UserMessage.from(String.valueOf(ClientProbeTest.ENDLESS))).build();

        StackOverflowError thrown = assertThrows(StackOverflowError.class,
                () -> QueuedGeneration.run(queue, model, endless, listener));

        assertSame(failed, thrown, "the request still fails with its error");
        assertTrue(model.cancelled.await(30, TimeUnit.SECONDS), "the generation was cancelled after "
                + model.tokens.get() + " tokens");
        assertEquals(0, queue.running());
        assertEquals(0, queue.waiting());
    }
}
