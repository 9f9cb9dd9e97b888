package io.yinghuo.web.generation.remote;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.UnsupportedFeatureException;

import java.net.ConnectException;
import java.net.http.HttpTimeoutException;

/**
 * Sorts what LangChain4j's OpenAI client reports: the request's own fault (the remote answered 4xx: too long, bad
 * parameter, wrong key or model name), which another endpoint would refuse too, or the endpoint's fault (connection
 * refused or reset, 5xx, 429, timeout), which makes another endpoint worth trying.
 *
 * <p>LangChain4j maps HTTP errors to its exception types by status ({@code ExceptionMapper}: 401 authentication,
 * 404 model not found, 408 timeout, 429 rate limit, 5xx internal server error, other 4xx invalid request) and wraps
 * transport errors ({@code ConnectException}, {@code HttpTimeoutException}) as causes; both are looked for here.
 */
final class RemoteFailures {

    private RemoteFailures() {
    }

    /** True when the request itself was refused (every endpoint would refuse it): no retry, no circuit change. */
    static boolean isRequestFault(Throwable error) {
        if (error instanceof InvalidRequestException || error instanceof UnsupportedFeatureException
                || error instanceof AuthenticationException || error instanceof ModelNotFoundException
                || error instanceof ContentFilteredException || error instanceof IllegalArgumentException) {
            return true;
        }
        Integer status = httpStatus(error);
        return status != null && status >= 400 && status < 500 && status != 408 && status != 429;
    }

    static boolean isTimeout(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof HttpTimeoutException || e instanceof dev.langchain4j.exception.TimeoutException
                    || e instanceof StallTimeoutException) {
                return true;
            }
        }
        return false;
    }

    static Integer httpStatus(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof HttpException http) {
                return http.statusCode();
            }
        }
        return null;
    }

    /** A short description for logs, /api/model and error messages: "connection refused", "HTTP 503", ... */
    static String describe(Throwable error) {
        if (isTimeout(error)) {
            return "timed out";
        }
        Integer status = httpStatus(error);
        if (status != null) {
            return "HTTP " + status;
        }
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof ConnectException) {
                return "connection refused";
            }
        }
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** No token arrived from an endpoint for longer than the timeout. */
    static final class StallTimeoutException extends RuntimeException {
        StallTimeoutException(long seconds) {
            super("no response for " + seconds + " s");
        }
    }
}
