package io.yinghuo.web.generation.remote;

import io.yinghuo.web.ApiException;

/**
 * A generation the remote model servers could not complete, as the web app reports it: none could be reached
 * (503, with a {@code Retry-After}), or the one answering failed after part of the answer had been streamed (502:
 * the text so far is kept and the answer ends with this error, since a retry elsewhere would repeat it).
 */
public final class RemoteModelException extends RuntimeException {

    private final boolean midAnswer;
    private final String endpoints;
    private final long retryAfterSeconds;

    private RemoteModelException(String message, boolean midAnswer, String endpoints, long retryAfterSeconds,
                                 Throwable cause) {
        super(message, cause);
        this.midAnswer = midAnswer;
        this.endpoints = endpoints;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Every endpoint is down, or failed before sending a token; {@code tried} says which failed how. */
    static RemoteModelException unavailable(String tried, long retryAfterSeconds, Throwable last) {
        return new RemoteModelException("no remote model server could answer (" + tried + ")", false, tried,
                Math.max(1, retryAfterSeconds), last);
    }

    /** The endpoint failed after tokens were streamed. */
    static RemoteModelException midAnswer(RemoteEndpoint endpoint, Throwable cause) {
        String what = endpoint.url() + ": " + RemoteFailures.describe(cause);
        return new RemoteModelException("the remote model server failed during the answer (" + what + ");"
                + " the answer is incomplete", true, what, 0, cause);
    }

    public boolean midAnswer() {
        return midAnswer;
    }

    /** As the API reports it, in the user's language on {@code /api}. */
    public ApiException toApiException() {
        if (midAnswer) {
            return new ApiException(502, "server_error", "remote_model_failed", null, getMessage())
                    .localized("error.remote_model_failed", endpoints);
        }
        return ApiException.unavailable("remote_model_unavailable", getMessage())
                .localized("error.remote_model_unavailable", endpoints).retryAfter(retryAfterSeconds);
    }
}
