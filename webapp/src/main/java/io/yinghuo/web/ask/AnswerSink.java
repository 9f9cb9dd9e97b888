package io.yinghuo.web.ask;

import io.yinghuo.retrieval.rag.AskResponse;
import io.yinghuo.retrieval.rag.Source;

import java.io.IOException;
import java.util.List;

/**
 * Where an answer goes as it is produced: a Server-Sent Events stream or a JSON body collected at the end. Any
 * method may throw {@link IOException} when the client has gone; the answer is then abandoned and its generation
 * cancelled.
 */
public interface AnswerSink {

    /** The request waits for the model; {@code ahead} requests will be served first. */
    void queued(int ahead) throws IOException;

    /** The question's turn at the model has come, just before it starts (a last look at the client). */
    default void starting() throws IOException {
    }

    /** The passages retrieved for the question, before the answer is generated. */
    void retrieved(List<Source> sources) throws IOException;

    /** The next piece of the answer. */
    void token(String text) throws IOException;

    /** Nothing new for a while (keeps a stream alive and detects a client that has gone). */
    void heartbeat() throws IOException;

    /** The complete answer; nothing follows. */
    void done(AskResponse answer) throws IOException;
}
