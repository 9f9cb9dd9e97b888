package io.yinghuo.web;

import io.javalin.http.Context;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 *   <li>Wrong keys are throttled per remote address: after {@value #FREE_FAILURES} wrong keys within a minute
 *       every request that needs the key is answered 429 with {@code Retry-After} for
 *       {@value #FIRST_LOCKOUT_SECONDS} s, and each further wrong key after a lockout doubles it, up to
 *       {@value #MAX_LOCKOUT_SECONDS} s. A correct key clears the address's record; a quiet minute forgets it.</li>
 * </ul>
 */
public final class AccessGuard {

    public static final String COOKIE = "yinghuo_session";
    private static final Set<String> PUBLIC_PATHS = Set.of("/login", "/login.js", "/style.css", "/favicon.ico");
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    static final int FREE_FAILURES = 5;
    static final long WINDOW_MILLIS = 60_000;
    static final int FIRST_LOCKOUT_SECONDS = 5;
    static final int MAX_LOCKOUT_SECONDS = 60;
    static final int MAX_TRACKED_ADDRESSES = 10_000;

    private final ServerOptions options;
    private final String sessionToken;
    private final Clock clock;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    public AccessGuard(ServerOptions options) {
        this(options, Clock.systemUTC());
    }

    /** @param clock the time the wrong-key throttling counts in (tests pass a controllable one) */
    AccessGuard(ServerOptions options, Clock clock) {
        this.options = options;
        this.sessionToken = options.apiKey() == null ? null : hmac(options.apiKey());
        this.clock = clock;
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
        check(ctx, ctx.req().getRemoteAddr());
    }

    void check(Context ctx, String remoteAddress) {
        String path = ctx.path();
        if (options.loopbackOnly() && !loopbackHost(ctx.host())) {
            throw new ApiException(403, "invalid_request_error", "forbidden_host", null,
                    "this server only answers requests addressed to 127.0.0.1 or localhost")
                    .localized("error.forbidden_host");
        }
        if (!SAFE_METHODS.contains(ctx.method().name()) && foreignOrigin(ctx)) {
            throw new ApiException(403, "invalid_request_error", "forbidden_origin", null,
                    "cross-origin requests that change data are refused").localized("error.forbidden_origin");
        }
        if (!keyRequired() || PUBLIC_PATHS.contains(path)) {
            return;
        }
        refuseWhileLockedOut(remoteAddress);
        Credential credential = credential(ctx);
        if (credential == Credential.VALID) {
            succeeded(remoteAddress);
            return;
        }
        if (credential == Credential.NONE) {
            throw new ApiException(401, "invalid_request_error", "invalid_api_key", null,
                    "an API key is required (需要 API 密钥): send \"Authorization: Bearer KEY\" (or log in at /login"
                            + " in a browser)").localized("error.api_key_required");
        }
        failed(remoteAddress);
        throw new ApiException(401, "invalid_request_error", "invalid_api_key", null,
                "invalid API key (API 密钥不正确)").localized("error.invalid_api_key");
    }

    /**
     * Checks a key typed into the login form, throttled like every other key.
     *
     * @throws ApiException 429 while the address is locked out
     */
    boolean loginMatches(String key, String remoteAddress) {
        refuseWhileLockedOut(remoteAddress);
        if (keyMatches(key)) {
            succeeded(remoteAddress);
            return true;
        }
        failed(remoteAddress);
        return false;
    }

    private enum Credential { NONE, WRONG, VALID }

    private Credential credential(Context ctx) {
        boolean sent = false;
        String auth = ctx.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            sent = true;
            if (keyMatches(auth.substring(7).strip())) {
                return Credential.VALID;
            }
        }
        String header = ctx.header("X-API-Key");
        if (header != null) {
            sent = true;
            if (keyMatches(header)) {
                return Credential.VALID;
            }
        }
        String cookie = ctx.cookie(COOKIE);
        if (cookie != null) {
            sent = true;
            if (MessageDigest.isEqual(cookie.getBytes(StandardCharsets.UTF_8),
                    sessionToken.getBytes(StandardCharsets.UTF_8))) {
                return Credential.VALID;
            }
        }
        return sent ? Credential.WRONG : Credential.NONE;
    }

    /** Wrong keys from one address: how many in the current window and the lockout they have earned. */
    private static final class Failures {
        long windowStart;
        long lastFailure;
        int count;
        long lockedUntil;
        int nextLockSeconds = FIRST_LOCKOUT_SECONDS;

        boolean forgotten(long now) {
            return now >= lockedUntil && now - Math.max(lastFailure, lockedUntil) > WINDOW_MILLIS;
        }
    }

    private void refuseWhileLockedOut(String address) {
        Failures record = failures.get(String.valueOf(address));
        if (record == null) {
            return;
        }
        long now = clock.millis();
        long wait;
        synchronized (record) {
            wait = record.lockedUntil - now;
        }
        if (wait > 0) {
            long seconds = (wait + 999) / 1000;
            throw new ApiException(429, "invalid_request_error", "too_many_failed_logins", null,
                    "too many wrong API keys from this address; try again in " + seconds + " s (密钥错误次数过多，请 "
                            + seconds + " 秒后再试)").localized("error.too_many_failed_logins", seconds)
                    .retryAfter(seconds);
        }
    }

    private void succeeded(String address) {
        if (!failures.isEmpty()) {
            failures.remove(String.valueOf(address));
        }
    }

    private void failed(String address) {
        long now = clock.millis();
        if (failures.size() >= MAX_TRACKED_ADDRESSES) {
            forgetOld(now);
        }
        Failures record = failures.computeIfAbsent(String.valueOf(address), a -> new Failures());
        synchronized (record) {
            if (record.count > 0 && (record.forgotten(now)
                    || record.count < FREE_FAILURES && now - record.windowStart > WINDOW_MILLIS)) {
                record.count = 0;
                record.lockedUntil = 0;
                record.nextLockSeconds = FIRST_LOCKOUT_SECONDS;
            }
            if (record.count == 0) {
                record.windowStart = now;
            }
            record.count++;
            record.lastFailure = now;
            if (record.count >= FREE_FAILURES) {
                record.lockedUntil = now + record.nextLockSeconds * 1000L;
                record.nextLockSeconds = Math.min(MAX_LOCKOUT_SECONDS, record.nextLockSeconds * 2);
            }
        }
    }

    /** How many addresses the guard holds failures for (bounded by {@link #MAX_TRACKED_ADDRESSES}). */
    int trackedAddresses() {
        return failures.size();
    }

    private void forgetOld(long now) {
        for (Iterator<Failures> it = failures.values().iterator(); it.hasNext(); ) {
            Failures record = it.next();
            synchronized (record) {
                if (record.forgotten(now) || record.count < FREE_FAILURES && now - record.windowStart > WINDOW_MILLIS) {
                    it.remove();
                }
            }
        }
        if (failures.size() >= MAX_TRACKED_ADDRESSES) {
            failures.clear(); // a flood of addresses: better to forget than to grow without bound
        }
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
