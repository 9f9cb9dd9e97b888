package io.yinghuo.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.yinghuo.retrieval.index.IndexUnavailableException;

/**
 * Writes every error the same way, as JSON in the OpenAI error shape, never with a stack trace: clients (the browser
 * UI, curl, OpenAI SDKs) all read {@code error.message}.
 */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    public static ObjectNode body(String message, String type, String param, String code) {
        ObjectNode root = Json.object();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return root;
    }

    public static ObjectNode body(ApiException e) {
        return body(e.getMessage(), e.type(), e.param(), e.code());
    }

    /** In {@code lang} where the error has a translation ({@link ApiException#localized}). */
    public static ObjectNode body(ApiException e, Messages.Lang lang) {
        return body(e.message(lang), e.type(), e.param(), e.code());
    }

    /** Writes {@code e} in the request's language ({@link Messages#lang}: always English on {@code /v1}). */
    public static void write(Context ctx, ApiException e) {
        if (e.retryAfterSeconds() >= 0) {
            ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
        }
        Messages.Lang lang;
        try {
            lang = Messages.lang(ctx);
        } catch (RuntimeException unreadable) {
            lang = Messages.Lang.EN;
        }
        ctx.status(e.status()).contentType("application/json").result(Json.write(body(e, lang)));
    }

    /**
     * An error Jetty raised before any route ran (see {@link JsonErrorHandler}), with Jetty's reason phrase (never
     * a stack trace) where it helps: "Ambiguous URI path separator", "URI is too large", ...
     */
    public static ApiException forStatus(int status, String reason) {
        String detail = reason == null || reason.isBlank() || reason.matches("\\d+") ? "" : " (" + reason + ")";
        return switch (status) {
            case 400 -> new ApiException(400, "invalid_request_error", "bad_request", null,
                    "the request could not be understood: bad request line, URI or headers" + detail)
                    .localized("error.bad_request");
            case 404 -> ApiException.notFound("no such endpoint" + detail).localized("error.not_found");
            case 405 -> new ApiException(405, "invalid_request_error", "method_not_allowed", null,
                    "this HTTP method is not allowed on this path").localized("error.method_not_allowed");
            case 413 -> ApiException.tooLarge("the request is too large" + detail).localized("error.too_large");
            case 414 -> new ApiException(414, "invalid_request_error", "uri_too_long", null,
                    "the request URI is too long; send long values in a POST body" + detail)
                    .localized("error.uri_too_long");
            case 415 -> ApiException.unsupportedMediaType("unsupported content type" + detail)
                    .localized("error.unsupported_media_type");
            case 431 -> new ApiException(431, "invalid_request_error", "headers_too_large", null,
                    "the request headers are too large" + detail).localized("error.headers_too_large");
            default -> new ApiException(status, status >= 500 ? "server_error" : "invalid_request_error",
                    status >= 500 ? "internal_error" : "http_" + status, null, "HTTP " + status + detail)
                    .localized(status >= 500 ? "error.internal" : "error.http_status", status);
        };
    }

    /** Javalin's own exceptions (400 from a validator, 413 from the body size limit, ...) in the same shape. */
    public static ApiException fromJavalin(HttpResponseException e) {
        int status = e.getStatus();
        String message = e.getMessage() == null || e.getMessage().isBlank() ? "HTTP " + status : e.getMessage();
        return switch (status) {
            case 413 -> ApiException.tooLarge(message).localized("error.too_large");
            case 404 -> ApiException.notFound(message).localized("error.not_found");
            case 415 -> ApiException.unsupportedMediaType(message).localized("error.unsupported_media_type");
            case 405 -> new ApiException(405, "invalid_request_error", "method_not_allowed", null,
                    "this HTTP method is not allowed on this path").localized("error.method_not_allowed");
            default -> new ApiException(status, status >= 500 ? "server_error" : "invalid_request_error",
                    "http_" + status, null, message)
                    .localized(status >= 500 ? "error.internal" : "error.http_status", status);
        };
    }

    /**
     * An exception no handler expected: 503 {@code index_unavailable} when a remote index (--index solr:) could not
     * be reached (anywhere in its causes: the request may be sent again, nothing was acknowledged), otherwise 500
     * {@code internal_error} naming only the exception's class (details go to the server log).
     */
    public static ApiException fromUnexpected(Throwable e) {
        IndexUnavailableException unavailable = IndexUnavailableException.in(e);
        if (unavailable != null) {
            return ApiException.unavailable("index_unavailable", unavailable.getMessage())
                    .localized("error.index_unavailable", unavailable.getMessage());
        }
        return new ApiException(500, "server_error", "internal_error", null,
                "internal server error (" + e.getClass().getSimpleName() + "); see the server log")
                .localized("error.internal");
    }
}
