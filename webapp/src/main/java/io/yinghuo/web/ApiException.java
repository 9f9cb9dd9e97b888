package io.yinghuo.web;

/**
 * A request the server refuses or cannot serve, with what the client needs to act on it. Rendered by
 * {@link ErrorResponses} in the OpenAI error shape {@code {"error":{"message","type","param","code"}}} on every API,
 * so one client-side error handler serves both the REST and the OpenAI-compatible endpoints.
 *
 * @see <a href="https://platform.openai.com/docs/guides/error-codes">OpenAI error codes</a> for the type names
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String param;
    private final String code;
    private long retryAfterSeconds = -1;

    public ApiException(int status, String type, String code, String param, String message) {
        super(message);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
    }

    /** 400: a value the client sent is wrong; {@code param} names it. */
    public static ApiException badRequest(String param, String message) {
        return new ApiException(400, "invalid_request_error", "invalid_value", param, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "invalid_request_error", "not_found", null, message);
    }

    public static ApiException tooLarge(String message) {
        return new ApiException(413, "invalid_request_error", "request_too_large", null, message);
    }

    public static ApiException unsupportedMediaType(String message) {
        return new ApiException(415, "invalid_request_error", "unsupported_media_type", null, message);
    }

    /** 503: the server cannot do this now (no model loaded, queue full); the request itself was fine. */
    public static ApiException unavailable(String code, String message) {
        return new ApiException(503, "server_error", code, null, message);
    }

    /** Sets the {@code Retry-After} header this error is sent with (429, 503); returns this. */
    public ApiException retryAfter(long seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    /** Seconds for {@code Retry-After}, or -1 for none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String param() {
        return param;
    }

    public String code() {
        return code;
    }
}
