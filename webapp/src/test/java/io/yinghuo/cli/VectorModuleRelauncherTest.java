package io.yinghuo.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relaunch with the Vector API: when it happens, the child's command line (the user's JVM options first, then
 * defaults only where the user set none), and the child's watch on its parent. {@code StartupProcessTest} runs the
 * real thing in child JVMs, which mutation runs cannot see into.
 */
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

    @Test
    void optionsOfOtherKindsDoNotStandForTheDefaults() {
        assertEquals(List.of("-Dfile.encoding=UTF-8", "--enable-native-access=ALL-UNNAMED",
                        "--sun-misc-unsafe-memory-access=allow", "-XX:MaxRAMPercentage=75", VectorModuleRelauncher.TRAP_LIMIT),
                VectorModuleRelauncher.childJvmOptions(List.of("-Dfile.encoding=UTF-8"), 24),
                "Java 24 is the first to warn");
    }

    @Test
    void theUsersOwnNativeAccessSettingsAreKeptNotDoubled() {
        List<String> user = List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=warn",
                "-Xmx2g");
        assertEquals(List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=warn", "-Xmx2g",
                VectorModuleRelauncher.TRAP_LIMIT), VectorModuleRelauncher.childJvmOptions(user, 25));
    }

    @Test
    void onlyCommandsThatRunTheModelRelaunch() {
        for (String command : List.of("generate", "chat", "perplexity", "bench", "serve", "ask", "eval-qa")) {
            assertTrue(Main.runsTheModel(command, "--model", "m"), command);
        }
        for (String command : List.of("ingest", "search", "tokenize", "synth-model", "solr-init", "--help", "help")) {
            assertFalse(Main.runsTheModel(command), command);
        }
        assertFalse(Main.runsTheModel(), "no command: the usage");
        assertFalse(Main.runsTheModel("--model", "serve"), "only the first word names the command");
    }

    @Test
    void theUserCanKeepTheCommandInThisJvm() {
        assertTrue(VectorModuleRelauncher.wanted(false, false, null, null));
        assertFalse(VectorModuleRelauncher.wanted(true, false, null, null), "the JVM has the module already");
        assertFalse(VectorModuleRelauncher.wanted(false, true, null, null), "this is the relaunched child");
        assertFalse(VectorModuleRelauncher.wanted(false, false, "false", null));
        assertFalse(VectorModuleRelauncher.wanted(false, false, null, "FALSE"), "YINGHUO_RELAUNCH=FALSE");
        assertTrue(VectorModuleRelauncher.wanted(false, false, "true", "false"), "the property wins over the variable");
        assertTrue(VectorModuleRelauncher.wanted(false, false, null, "no"), "only false turns it off");
    }

    @Test
    void theChildRunsTheSameCommandWithTheModuleTheGuardAndItsParent() {
        List<String> command = VectorModuleRelauncher.childCommand(Path.of("/opt/jdk"), 4242, List.of("-Xmx6g"), 17,
                "/apps/yinghuo.jar", new String[] {"serve", "--port", "8080"});
        assertEquals(List.of(Path.of("/opt/jdk", "bin", "java").toString(), "--add-modules", "jdk.incubator.vector",
                "-Dyinghuo.relaunched=true", "-Dyinghuo.parentPid=4242", "-Xmx6g", VectorModuleRelauncher.TRAP_LIMIT,
                "-cp", "/apps/yinghuo.jar", "io.yinghuo.cli.Main", "serve", "--port", "8080"), command);
    }

    @Test
    void aChildWatchesItsParentOnlyWhenItHasOne() throws Exception {
        assertTrue(VectorModuleRelauncher.parentExit(null).isEmpty(), "not relaunched");
        assertTrue(VectorModuleRelauncher.parentExit(" ").isEmpty());
        assertTrue(VectorModuleRelauncher.parentExit("12ab").isEmpty(), "not a pid");

        long living = ProcessHandle.current().parent().orElseThrow().pid(); // the build that runs this test
        CompletableFuture<?> waiting = VectorModuleRelauncher.parentExit(" " + living + " ").orElseThrow();
        assertFalse(waiting.isDone(), "a living parent: wait for it");

        Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-version").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<?> watched = VectorModuleRelauncher.parentExit(Long.toString(parent.pid())).orElseThrow();
        parent.waitFor();
        watched.get(30, TimeUnit.SECONDS); // completes when the parent ends
        assertTrue(VectorModuleRelauncher.parentExit(Long.toString(parent.pid())).orElseThrow().isDone(),
                "a parent that has ended already: done at once");
    }
}
