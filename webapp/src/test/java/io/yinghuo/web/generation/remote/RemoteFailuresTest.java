package io.yinghuo.web.generation.remote;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which failures another endpoint is worth trying for (the server's fault) and which come straight back to the
 * client (the request's fault), in the shapes LangChain4j's OpenAI client reports them: its exception type per HTTP
 * status with the {@link HttpException} as cause, or a transport error wrapped as cause. And the short description
 * that {@code /api/model}'s {@code last_error} and the 503's message show.
 */
class RemoteFailuresTest {

    private static RuntimeException http(int status) {
        return new RuntimeException("wrapped", new HttpException(status, "{\"error\":\"...\"}"));
    }

    @Test
    void aRefusedRequestIsTheRequestsFaultAndNotRetried() {
        assertTrue(RemoteFailures.isRequestFault(new InvalidRequestException("context too long")));
        assertTrue(RemoteFailures.isRequestFault(new AuthenticationException("bad key")));
        assertTrue(RemoteFailures.isRequestFault(new ModelNotFoundException("no such model")));
        assertTrue(RemoteFailures.isRequestFault(new IllegalArgumentException("refused by the client")));
        assertTrue(RemoteFailures.isRequestFault(http(400)));
        assertTrue(RemoteFailures.isRequestFault(http(413)));
        assertTrue(RemoteFailures.isRequestFault(http(499)));
    }

    @Test
    void overloadTimeoutsServerErrorsAndTransportErrorsAreTheEndpointsFault() {
        assertFalse(RemoteFailures.isRequestFault(new RateLimitException(new HttpException(429, "slow down"))),
                "429: another endpoint may have room");
        assertFalse(RemoteFailures.isRequestFault(http(408)), "408: the server timed out");
        assertFalse(RemoteFailures.isRequestFault(http(399)));
        assertFalse(RemoteFailures.isRequestFault(http(500)));
        assertFalse(RemoteFailures.isRequestFault(new InternalServerException(new HttpException(503, "busy"))));
        assertFalse(RemoteFailures.isRequestFault(new RuntimeException(new ConnectException("refused"))));
    }

    @Test
    void timeoutsAreFoundAmongTheCauses() {
        assertTrue(RemoteFailures.isTimeout(new RuntimeException(new HttpTimeoutException("request timed out"))));
        assertTrue(RemoteFailures.isTimeout(new TimeoutException("408")));
        assertTrue(RemoteFailures.isTimeout(new RemoteFailures.StallTimeoutException(30)));
        assertFalse(RemoteFailures.isTimeout(http(503)));
    }

    @Test
    void theDescriptionNamesTheTimeoutTheStatusTheRefusedConnectionOrTheRootCause() {
        assertEquals("timed out", RemoteFailures.describe(
                new RuntimeException(new HttpTimeoutException("request timed out"))));
        assertEquals("HTTP 503", RemoteFailures.describe(new InternalServerException(new HttpException(503, "x"))));
        assertEquals("connection refused", RemoteFailures.describe(
                new RuntimeException(new UncheckedIOException(new ConnectException("Connection refused")))));
        assertEquals("IOException: Connection reset", RemoteFailures.describe(
                new RuntimeException("outer", new UncheckedIOException(new IOException("Connection reset")))));
        assertEquals("IllegalStateException", RemoteFailures.describe(new IllegalStateException()));
    }
}
