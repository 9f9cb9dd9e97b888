package io.yinghuo.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;

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

    public static void write(Context ctx, ApiException e) {
        ctx.status(e.status()).contentType("application/json").result(Json.write(body(e)));
    }

    /** Javalin's own exceptions (400 from a validator, 413 from the body size limit, ...) in the same shape. */
    public static ApiException fromJavalin(HttpResponseException e) {
        int status = e.getStatus();
        String message = e.getMessage() == null || e.getMessage().isBlank() ? "HTTP " + status : e.getMessage();
        return switch (status) {
            case 413 -> ApiException.tooLarge(message);
            case 404 -> ApiException.notFound(message);
            case 415 -> ApiException.unsupportedMediaType(message);
            case 405 -> new ApiException(405, "invalid_request_error", "method_not_allowed", null,
                    "this HTTP method is not allowed on this path");
            default -> new ApiException(status, status >= 500 ? "server_error" : "invalid_request_error",
                    "http_" + status, null, message);
        };
    }
}
