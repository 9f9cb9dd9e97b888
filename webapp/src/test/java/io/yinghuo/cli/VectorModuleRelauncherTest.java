package io.yinghuo.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JVM options the relaunched child gets: the user's own first, then defaults only where the user set none. */
class VectorModuleRelauncherTest {

    @Test
    void aPlainStartGetsTheHeapAndTrapLimitDefaults() {
        List<String> options = VectorModuleRelauncher.childJvmOptions(List.of(), 17);
        assertEquals(List.of("-XX:MaxRAMPercentage=75", "-XX:PerMethodTrapLimit=100000"), options);
    }

    @Test
    void theUsersOwnOptionsComeFirstAndAreNotOverridden() {
        List<String> options = VectorModuleRelauncher.childJvmOptions(
                List.of("-Xmx6g", "-XX:PerMethodTrapLimit=50", "-Dyinghuo.cpu.exactHead=true"), 17);
        assertEquals(List.of("-Xmx6g", "-XX:PerMethodTrapLimit=50", "-Dyinghuo.cpu.exactHead=true"), options);
    }

    @Test
    void java24AndLaterAlsoAllowNativeAccessAndTheUnmapping() {
        List<String> options = VectorModuleRelauncher.childJvmOptions(List.of("-XX:MaxRAMPercentage=50"), 25);
        assertTrue(options.contains("--enable-native-access=ALL-UNNAMED"), options.toString());
        assertTrue(options.contains("--sun-misc-unsafe-memory-access=allow"), options.toString());
        assertTrue(options.contains(VectorModuleRelauncher.TRAP_LIMIT), options.toString());
        assertFalse(options.contains("-XX:MaxRAMPercentage=75"), "the user's heap setting stays: " + options);
        assertFalse(VectorModuleRelauncher.childJvmOptions(List.of(), 21).contains("--enable-native-access=ALL-UNNAMED"),
                "Java 21 has no such warning to silence");
    }
}
