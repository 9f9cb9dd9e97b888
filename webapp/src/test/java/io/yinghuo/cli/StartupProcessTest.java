package io.yinghuo.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The command line in real JVMs ({@link Main#main}, as {@code java -jar yinghuo.jar} runs it): the relaunch with the
 * Vector API module, its end when the parent dies, and a start-up free of library warnings, on this Java (17) and on
 * a Temurin 25 where one is installed.
 */
class StartupProcessTest {
    private static final long START_SECONDS = 180;
    private static final String BANNER = "yinghuo serve: http://";

    @TempDir
    Path dir;

    private final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        for (ProcessHandle p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Test
    void theRelaunchedChildEndsWhenItsParentIsKilled() throws Exception {
        Process parent = start(javaOf(System.getProperty("java.home")), List.of(), null,
                "serve", "--port", "0", "--no-vectors", "--data", dir.resolve("data").toString());
        awaitBanner(parent);
        List<ProcessHandle> children = parent.toHandle().children().toList();
        assertEquals(1, children.size(), "one relaunched JVM: " + children);
        ProcessHandle child = children.get(0);
        Path cmdline = Path.of("/proc", Long.toString(child.pid()), "cmdline");
        if (Files.isReadable(cmdline)) {
            String childCommand = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8);
            assertTrue(childCommand.contains(VectorModuleRelauncher.MODULE), "the child runs with the Vector API module");
            assertTrue(childCommand.contains(VectorModuleRelauncher.TRAP_LIMIT), "and with C2's trap limit raised");
        }

        parent.destroyForcibly(); // SIGKILL: no shutdown hook of the parent runs
        parent.waitFor();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (child.isAlive() && System.nanoTime() < deadline) {
            child.onExit().completeOnTimeout(child, 200, java.util.concurrent.TimeUnit.MILLISECONDS).join();
        }
        assertFalse(child.isAlive(), "the child JVM ended within 30 s of its parent's kill -9");

        // and the data folder is free again: a new server starts on it
        Process again = start(javaOf(System.getProperty("java.home")), List.of(), null,
                "serve", "--port", "0", "--no-vectors", "--data", dir.resolve("data").toString());
        awaitBanner(again);
    }

    @Test
    void noRelaunchWhenTheJvmAlreadyHasTheModule() throws Exception {
        Process server = start(javaOf(System.getProperty("java.home")), List.of(),
                "--add-modules " + VectorModuleRelauncher.MODULE,
                "serve", "--port", "0", "--no-vectors", "--data", dir.resolve("data").toString());
        awaitBanner(server);
        assertEquals(List.of(), server.toHandle().children().toList(),
                "JDK_JAVA_OPTIONS added the module: the command runs in the first JVM");
    }

    @Test
    void startsWithoutLibraryWarningsOnThisJava() throws Exception {
        assertQuietStart(javaOf(System.getProperty("java.home")));
    }

    @Test
    void startsWithoutLibraryWarningsOnJava25() throws Exception {
        Optional<Path> java25 = temurin25();
        assumeTrue(java25.isPresent(), "no /usr/lib/jvm/temurin-25* here: the Java 25 start-up is not checked");
        assertQuietStart(java25.get());
    }

    /** synth-model (with its default tokenizer), then serve --model on it: one clean summary, no library lines. */
    private void assertQuietStart(Path java) throws Exception {
        Path model = dir.resolve("model");
        CliRun.Result synth = CliRun.run("synth-model", "--shape", "tiny", "--out", model.toString());
        assertEquals(0, synth.code(), synth.err());
        Process server = start(java, List.of(), null, "serve", "--port", "0", "--model", model.toString(),
                "--data", dir.resolve("data").toString());
        String out = awaitBanner(server);
        // read before stopping: a stop while the background 语义索引 still loads its model logs that it stopped
        String err = Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
        stop(server);
        List<String> noise = err.lines()
                .filter(line -> !line.isBlank())
                .filter(line -> !line.equals("WARNING: Using incubator modules: jdk.incubator.vector")) // the JVM's
                .collect(Collectors.toList());
        assertEquals(List.of(), noise, "stderr of a clean start on " + java);
        for (String word : List.of("JCuda", "libcuda", "lucene", "Unsafe", "WARNING")) {
            assertFalse(out.contains(word), word + " in the start-up summary: " + out);
        }
        assertTrue(out.contains("model model"), out);
    }

    private Process start(Path java, List<String> jvmArgs, String jdkJavaOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmArgs);
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.environment().remove("YINGHUO_RELAUNCH");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        if (jdkJavaOptions == null) {
            pb.environment().remove("JDK_JAVA_OPTIONS");
        } else {
            pb.environment().put("JDK_JAVA_OPTIONS", jdkJavaOptions);
        }
        Process p = pb.start();
        started.add(p.toHandle());
        return p;
    }

    /** Polls stdout until the server's banner (or the process's end, or the deadline), and returns stdout. */
    private String awaitBanner(Process p) throws Exception {
        long deadline = System.nanoTime() + START_SECONDS * 1_000_000_000L;
        Path outFile = dir.resolve("out.txt");
        while (System.nanoTime() < deadline) {
            String out = Files.readString(outFile, StandardCharsets.UTF_8);
            if (out.contains(BANNER)) {
                return out;
            }
            if (!p.isAlive()) {
                fail("exited with " + p.exitValue() + " before listening:\n" + out + "\n"
                        + Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
            }
            p.onExit().completeOnTimeout(p, 100, java.util.concurrent.TimeUnit.MILLISECONDS).join();
        }
        fail("no banner within " + START_SECONDS + " s:\n" + Files.readString(outFile, StandardCharsets.UTF_8));
        return null;
    }

    /** Ctrl-C-like stop (SIGTERM): the parent's hook stops the child, the server's hook closes the index. */
    private static void stop(Process p) throws InterruptedException {
        List<ProcessHandle> family = new ArrayList<>(p.toHandle().descendants().toList());
        p.destroy();
        p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
        for (ProcessHandle h : family) {
            h.onExit().completeOnTimeout(h, 60, java.util.concurrent.TimeUnit.SECONDS).join();
        }
    }

    private static Path javaOf(String javaHome) {
        return Path.of(javaHome, "bin", "java");
    }

    private static Optional<Path> temurin25() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> homes = Files.newDirectoryStream(jvms, "temurin-25*")) {
            for (Path home : homes) {
                Path java = javaOf(home.toString());
                if (Files.isExecutable(java)) {
                    return Optional.of(java);
                }
            }
        }
        return Optional.empty();
    }
}
