package io.yinghuo.web;

import io.javalin.http.Context;

/** Query parameters, checked: a malformed value is a 400 naming the parameter. */
public final class Params {

    private Params() {
    }

    public static int intParam(Context ctx, String name, int fallback) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name, name + " must be an integer, got " + Json.write(value))
                    .localized("error.not_integer", name, Json.write(value));
        }
    }
}
