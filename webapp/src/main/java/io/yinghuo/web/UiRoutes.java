package io.yinghuo.web;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The browser UI: a fixed set of files from the classpath folder {@code web/} (no build step, nothing from the
 * internet). Served by a route rather than Javalin's static-file handler so that the access check runs for them
 * like for every API.
 */
public final class UiRoutes {

    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/app.js", "app.js",
            "/i18n.js", "i18n.js",
            "/style.css", "style.css",
            "/login", "login.html",
            "/login.js", "login.js");

    private UiRoutes() {
    }

    public static boolean serves(String path) {
        return FILES.containsKey(path);
    }

    public static void serve(Context ctx) throws IOException {
        String file = FILES.get(ctx.path());
        if (file == null) {
            throw ApiException.notFound("no page at " + ctx.path()).localized("error.not_found");
        }
        byte[] bytes;
        try (InputStream in = UiRoutes.class.getResourceAsStream("/web/" + file)) {
            if (in == null) {
                throw new IllegalStateException("the UI file web/" + file + " is missing from the jar");
            }
            bytes = in.readAllBytes();
        }
        ctx.contentType(contentType(file));
        ctx.header("Cache-Control", "no-cache");
        ctx.result(bytes);
    }

    /** The login page, as the answer to a page request without a valid key. */
    public static void loginPage(Context ctx, int status) throws IOException {
        try (InputStream in = UiRoutes.class.getResourceAsStream("/web/login.html")) {
            ctx.status(status).contentType("text/html;charset=utf-8").result(in.readAllBytes());
        }
    }

    private static String contentType(String file) {
        if (file.endsWith(".html")) {
            return "text/html;charset=utf-8";
        }
        if (file.endsWith(".js")) {
            return "text/javascript;charset=utf-8";
        }
        return "text/css;charset=utf-8";
    }
}
