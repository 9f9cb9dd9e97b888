package io.yinghuo.web;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

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
            "/viewer.js", "viewer.js",
            "/i18n.js", "i18n.js",
            "/style.css", "style.css",
            "/login", "login.html",
            "/login.js", "login.js");

    /** The pdf.js WebJar's version (its folder in the jar), or null when the WebJar is not on the classpath. */
    private static final String PDFJS_VERSION = webJarVersion("org.webjars.npm", "pdfjs-dist");

    /**
     * The pdf.js files the viewer loads, relative to the WebJar's folder: the minified library, its worker, the
     * packed CMaps (PDFs whose CJK fonts rely on a predefined encoding) and the licence. Nothing else is served,
     * and the jar keeps nothing else (webapp/pom.xml's shade filter).
     */
    private static final Pattern PDFJS_FILES = Pattern.compile(
            "build/pdf\\.min\\.mjs|build/pdf\\.worker\\.min\\.mjs|cmaps/[A-Za-z0-9_-]{1,64}\\.bcmap|LICENSE");

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

    /**
     * {@code GET /vendor/pdfjs/<file>}: a file of pdf.js (see {@link #PDFJS_FILES}), where {@code file} is
     * {@code pdf.min.mjs}, {@code pdf.worker.min.mjs}, {@code cmaps/NAME.bcmap} or {@code LICENSE}. Modules are
     * sent as text/javascript (browsers refuse module scripts and module workers of other types). The URL has no
     * version in it, so the files are cached for a day and revalidated by their version as ETag.
     */
    public static void vendor(Context ctx) throws IOException {
        String file = ctx.path().substring("/vendor/pdfjs/".length());
        if (file.endsWith(".mjs")) {
            file = "build/" + file;
        }
        if (PDFJS_VERSION == null || !PDFJS_FILES.matcher(file).matches()) {
            throw ApiException.notFound("no file at " + ctx.path()).localized("error.not_found");
        }
        String etag = "\"pdfjs-" + PDFJS_VERSION + "\"";
        ctx.header("Cache-Control", "public, max-age=86400");
        ctx.header("ETag", etag);
        if (etag.equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        InputStream in = UiRoutes.class.getResourceAsStream(
                "/META-INF/resources/webjars/pdfjs-dist/" + PDFJS_VERSION + "/" + file);
        if (in == null) {
            throw ApiException.notFound("no file at " + ctx.path()).localized("error.not_found");
        }
        try (in) {
            ctx.contentType(file.endsWith(".mjs") ? "text/javascript;charset=utf-8"
                    : file.endsWith(".bcmap") ? "application/octet-stream" : "text/plain;charset=utf-8");
            ctx.result(in.readAllBytes());
        }
    }

    /** The version of a WebJar on the classpath, from its Maven pom.properties; null when it is not there. */
    static String webJarVersion(String groupId, String artifactId) {
        try (InputStream in = UiRoutes.class.getResourceAsStream(
                "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties")) {
            if (in == null) {
                return null;
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version");
            return version != null && version.matches("[0-9A-Za-z._-]+") ? version : null;
        } catch (IOException e) {
            return null;
        }
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
