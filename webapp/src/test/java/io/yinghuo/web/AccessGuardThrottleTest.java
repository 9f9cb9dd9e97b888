package io.yinghuo.web;

import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.web.generation.ModelService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Wrong API keys are throttled per remote address, on a clock the test moves by hand. */
class AccessGuardThrottleTest {

    static final String KEY = "right-key-123";

    @TempDir
    Path dir;

    /** A clock the test advances. */
    static final class ManualClock extends Clock {
        long millis = 1_000_000;

        void advanceSeconds(double seconds) {
            millis += (long) (seconds * 1000);
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    static long lockedFor(AccessGuard guard, String key, String address) {
        ApiException e = assertThrows(ApiException.class, () -> guard.loginMatches(key, address));
        assertEquals(429, e.status());
        assertTrue(e.getMessage().contains("too many wrong API keys"), e.getMessage());
        return e.retryAfterSeconds();
    }

    @Test
    void fiveWrongKeysInAMinuteLockTheAddressOutWithADoublingLockoutUpTo60Seconds() {
        ManualClock clock = new ManualClock();
        AccessGuard guard = new AccessGuard(ServerOptions.defaults().withApiKey(KEY), clock);
        for (int i = 0; i < 4; i++) {
            assertFalse(guard.loginMatches("wrong" + i, "10.0.0.1"));
            clock.advanceSeconds(10);
        }
        assertFalse(guard.loginMatches("wrong4", "10.0.0.1")); // the fifth within the minute
        assertEquals(5, lockedFor(guard, "wrong5", "10.0.0.1"));
        assertEquals(5, lockedFor(guard, KEY, "10.0.0.1"), "even the right key waits: no guessing while locked");
        assertTrue(guard.loginMatches(KEY, "10.0.0.2"), "other addresses are not affected");

        long[] expected = {10, 20, 40, 60, 60};
        long lock = 5;
        for (long next : expected) {
            clock.advanceSeconds(lock - 0.5);
            assertEquals(1, lockedFor(guard, "x", "10.0.0.1"));
            clock.advanceSeconds(0.5);
            assertFalse(guard.loginMatches("still-wrong", "10.0.0.1"));
            assertEquals(next, lockedFor(guard, "x", "10.0.0.1"));
            lock = next;
        }
        clock.advanceSeconds(lock);
        assertTrue(guard.loginMatches(KEY, "10.0.0.1"), "the right key after the lockout clears the record");
        for (int i = 0; i < 4; i++) {
            assertFalse(guard.loginMatches("wrong", "10.0.0.1"));
        }
        assertFalse(guard.loginMatches("wrong", "10.0.0.1"));
        assertEquals(5, lockedFor(guard, "wrong", "10.0.0.1"), "a fresh record starts again at 5 s");
    }

    /** One wrong key from each of {@code count} addresses 10.x.y.z. */
    private static void oneWrongKeyEach(AccessGuard guard, int count) {
        for (int i = 0; i < count; i++) {
            assertFalse(guard.loginMatches("wrong", "10." + (i >> 16) + "." + (i >> 8 & 255) + "." + (i & 255)));
        }
    }

    @Test
    void aFloodOfAddressesForgetsTheOldOneOffsButNotARecentOffender() {
        ManualClock clock = new ManualClock();
        AccessGuard guard = new AccessGuard(ServerOptions.defaults().withApiKey(KEY), clock);
        for (int i = 0; i < 5; i++) {
            assertFalse(guard.loginMatches("wrong", "203.0.113.7"));
        }
        assertEquals(5, lockedFor(guard, KEY, "203.0.113.7"));
        oneWrongKeyEach(guard, AccessGuard.MAX_TRACKED_ADDRESSES - 5);

        clock.advanceSeconds(61); // the one-offs are over a minute old; the lockout ended 56 s ago
        for (int i = 0; i < 4; i++) {
            assertFalse(guard.loginMatches("wrong", "198.51.100." + i));
        }
        assertEquals(AccessGuard.MAX_TRACKED_ADDRESSES, guard.trackedAddresses(), "full, nothing forgotten yet");
        assertFalse(guard.loginMatches("wrong", "198.51.100.200"));
        assertEquals(6, guard.trackedAddresses(), "the old one-offs went; the offender and the recent ones stay");

        assertFalse(guard.loginMatches("wrong", "203.0.113.7"));
        assertEquals(10, lockedFor(guard, KEY, "203.0.113.7"), "the offender's next lockout is still doubled");
    }

    @Test
    void anOffenderQuietForOverAMinuteAfterTheLockoutStartsAfresh() {
        ManualClock clock = new ManualClock();
        AccessGuard guard = new AccessGuard(ServerOptions.defaults().withApiKey(KEY), clock);
        for (String address : List.of("203.0.113.8", "203.0.113.9")) {
            for (int i = 0; i < 5; i++) {
                assertFalse(guard.loginMatches("wrong", address));
            }
        }
        clock.advanceSeconds(65); // the 5 s lockouts ended exactly 60 s ago: still remembered
        assertFalse(guard.loginMatches("wrong", "203.0.113.8"));
        assertEquals(10, lockedFor(guard, KEY, "203.0.113.8"), "doubled");

        clock.advanceSeconds(0.001); // 203.0.113.9 has now been quiet for over a minute
        for (int i = 0; i < 4; i++) {
            assertFalse(guard.loginMatches("wrong", "203.0.113.9"), "four more wrong keys are free again");
        }
        assertFalse(guard.loginMatches("wrong", "203.0.113.9"));
        assertEquals(5, lockedFor(guard, KEY, "203.0.113.9"), "the first lockout again, not a doubled one");
    }

    @Test
    void aFloodWithinAMinuteIsForgottenWholeRatherThanGrowing() {
        ManualClock clock = new ManualClock();
        AccessGuard guard = new AccessGuard(ServerOptions.defaults().withApiKey(KEY), clock);
        oneWrongKeyEach(guard, AccessGuard.MAX_TRACKED_ADDRESSES);
        clock.advanceSeconds(30);
        assertFalse(guard.loginMatches("wrong", "198.51.100.1"));
        assertEquals(1, guard.trackedAddresses(), "none was old enough to forget, so all were");
    }

    @Test
    void failuresSpreadOverMoreThanAMinuteAreNotALockout() {
        ManualClock clock = new ManualClock();
        AccessGuard guard = new AccessGuard(ServerOptions.defaults().withApiKey(KEY), clock);
        for (int i = 0; i < 12; i++) {
            assertFalse(guard.loginMatches("wrong", "10.0.0.3"));
            clock.advanceSeconds(16); // 4 per minute
        }
        assertTrue(guard.loginMatches(KEY, "10.0.0.3"));
    }

    @Test
    void theFifthWrongKeyExactlyAMinuteAfterTheFirstStillLocks() {
        ManualClock clock = new ManualClock();
        AccessGuard guard = new AccessGuard(ServerOptions.defaults().withApiKey(KEY), clock);
        for (int i = 0; i < 4; i++) {
            assertFalse(guard.loginMatches("wrong", "10.0.0.4"));
            clock.advanceSeconds(15);
        }
        assertFalse(guard.loginMatches("wrong", "10.0.0.4")); // 60.000 s after the first: inside the window
        assertEquals(5, lockedFor(guard, KEY, "10.0.0.4"));
    }

    @Test
    void overHttpTheRightKeyClearsTheWrongOnesBeforeIt() throws Exception {
        try (WebServer server = WebServer.create(ServerOptions.defaults().withPort(0).withApiKey(KEY),
                DataFolder.at(dir.resolve("keyed")), ModelService.none(2)).start()) {
            String base = "http://127.0.0.1:" + server.port();
            Http wrong = new Http(base, Map.of("Authorization", "Bearer not-the-key"));
            for (int i = 0; i < 4; i++) {
                assertEquals(401, wrong.get("/api/documents").status());
            }
            assertEquals(200, new Http(base, Map.of("X-API-Key", KEY)).get("/api/documents").status());
            for (int i = 0; i < 4; i++) {
                assertEquals(401, wrong.get("/api/documents").status(),
                        "a user who mistyped four times and then got in starts again at zero");
            }
        }
    }

    @Test
    void overHttpAWrongKeyIsNamedAsSuchAndTheSixthGets429WithRetryAfter() throws Exception {
        try (WebServer server = WebServer.create(ServerOptions.defaults().withPort(0).withApiKey(KEY),
                DataFolder.at(dir.resolve("keyed")), ModelService.none(2)).start()) {
            String base = "http://127.0.0.1:" + server.port();
            Http.Response missing = new Http(base).get("/api/documents");
            DocumentApiTest.assertError(missing, 401, "invalid_api_key");
            assertTrue(missing.json().get("error").get("message").asText().contains("API key is required"));

            Http wrong = new Http(base, Map.of("Authorization", "Bearer not-the-key"));
            for (int i = 0; i < 5; i++) {
                Http.Response r = wrong.get("/v1/models");
                DocumentApiTest.assertError(r, 401, "invalid_api_key");
                String message = r.json().get("error").get("message").asText();
                assertTrue(message.contains("invalid API key") && message.contains("密钥不正确"), message);
            }
            Http.Response locked = new Http(base, Map.of("X-API-Key", "another-wrong")).get("/api/documents");
            DocumentApiTest.assertError(locked, 429, "too_many_failed_logins");
            long retryAfter = Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 5, "Retry-After " + retryAfter);
            assertEquals(429, new Http(base, Map.of("Authorization", "Bearer " + KEY)).get("/api/documents")
                    .status(), "the right key too waits out the lockout");
            assertEquals(200, new Http(base).get("/style.css").status(), "public files stay public");
        }
    }
}
