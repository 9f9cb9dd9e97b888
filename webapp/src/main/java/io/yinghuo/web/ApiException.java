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
    private String messageKey;
    private Boolean retryable;
    private Object[] messageArgs = new Object[0];

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

    /**
     * Says this error's message in the user's language: {@code key} of {@link Messages} with {@code args}; the
     * English text stays {@link #getMessage()}, as {@code /v1} sends it. Returns this.
     */
    public ApiException localized(String key, Object... args) {
        this.messageKey = key;
        this.messageArgs = args.clone();
        return this;
    }

    /** The message in {@code lang}: the catalogue's text when {@link #localized}, else {@link #getMessage()}. */
    public String message(Messages.Lang lang) {
        if (messageKey == null || lang == Messages.Lang.EN) {
            return getMessage();
        }
        return Messages.text(lang, messageKey, messageArgs);
    }

    /**
     * Whether sending the same request again may succeed: set by {@link #retryable(boolean)}, else true for a busy
     * or failing server (429, 5xx except 501) and false for a request that is wrong in itself (4xx).
     */
    public boolean retryable() {
        return retryable != null ? retryable : status == 429 || (status >= 500 && status != 501);
    }

    /** Says whether a retry may succeed; returns this. */
    public ApiException retryable(boolean value) {
        this.retryable = value;
        return this;
    }

    /** The catalogue key of the message, or null. */
    public String messageKey() {
        return messageKey;
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
