package io.yinghuo.web;

import io.javalin.http.Context;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * Who may call the server, checked before every route.
 *
 * <ul>
 *   <li>With an API key, every page and API needs it: as {@code Authorization: Bearer KEY} (what OpenAI clients
 *       send), as {@code X-API-Key: KEY}, or as the session cookie the login page sets (browsers cannot add headers
 *       to page loads or EventSource). The cookie holds an HMAC of the key, not the key, and is HttpOnly and
 *       SameSite=Strict so other sites cannot ride on it.</li>
 *   <li>On loopback without a key: requests must name a loopback host (a DNS-rebinding page would send its own
 *       host name), and a request that changes something must not come from another origin (CSRF from any web page
 *       the user visits).</li>
 * </ul>
 */
public final class AccessGuard {

    public static final String COOKIE = "yinghuo_session";
    private static final Set<String> PUBLIC_PATHS = Set.of("/login", "/login.js", "/style.css", "/favicon.ico");
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final ServerOptions options;
    private final String sessionToken;

    public AccessGuard(ServerOptions options) {
        this.options = options;
        this.sessionToken = options.apiKey() == null ? null : hmac(options.apiKey());
    }

    public boolean keyRequired() {
        return options.apiKey() != null;
    }

    /** The cookie value a successful login sets. */
    String sessionToken() {
        return sessionToken;
    }

    /** Whether this key is the server's (constant time). */
    boolean keyMatches(String candidate) {
        return candidate != null && options.apiKey() != null && MessageDigest.isEqual(
                candidate.getBytes(StandardCharsets.UTF_8), options.apiKey().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Lets the request through or throws. Runs as a before-handler.
     *
     * @throws ApiException 401 without a valid key, 403 for a foreign host or origin
     */
    public void check(Context ctx) {
        String path = ctx.path();
        if (options.loopbackOnly() && !loopbackHost(ctx.host())) {
            throw new ApiException(403, "invalid_request_error", "forbidden_host", null,
                    "this server only answers requests addressed to 127.0.0.1 or localhost");
        }
        if (!SAFE_METHODS.contains(ctx.method().name()) && foreignOrigin(ctx)) {
            throw new ApiException(403, "invalid_request_error", "forbidden_origin", null,
                    "cross-origin requests that change data are refused");
        }
        if (!keyRequired() || PUBLIC_PATHS.contains(path) || authorized(ctx)) {
            return;
        }
        throw new ApiException(401, "invalid_request_error", "invalid_api_key", null,
                "an API key is required: send \"Authorization: Bearer KEY\" (or log in at /login in a browser)");
    }

    private boolean authorized(Context ctx) {
        String auth = ctx.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) && keyMatches(auth.substring(7).strip())) {
            return true;
        }
        if (keyMatches(ctx.header("X-API-Key"))) {
            return true;
        }
        String cookie = ctx.cookie(COOKIE);
        return cookie != null && MessageDigest.isEqual(cookie.getBytes(StandardCharsets.UTF_8),
                sessionToken.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean loopbackHost(String hostHeader) {
        if (hostHeader == null) {
            return false;
        }
        String host = hostHeader.toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            host = close < 0 ? host : host.substring(1, close);
        } else if (host.indexOf(':') >= 0) {
            host = host.substring(0, host.indexOf(':'));
        }
        return host.equals("localhost") || host.equals("::1") || host.matches("127(\\.\\d{1,3}){3}");
    }

    /** An Origin header naming another host:port than the one the request was sent to. */
    private static boolean foreignOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null || origin.isBlank()) {
            return false; // not a browser cross-origin request (curl, SDKs, same-origin GET-initiated forms)
        }
        if (origin.equals("null")) {
            return true;
        }
        try {
            URI uri = URI.create(origin);
            String authority = uri.getRawAuthority();
            return authority == null || !authority.equalsIgnoreCase(ctx.host());
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    private static String hmac(String key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal("yinghuo-session-v1".getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has HmacSHA256", e);
        }
    }
}
