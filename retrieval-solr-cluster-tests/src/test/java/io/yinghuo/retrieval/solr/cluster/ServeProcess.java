package io.yinghuo.retrieval.solr.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The application as its users run it: {@code yinghuo serve} in a JVM of its own ({@code io.yinghuo.cli.Main}, what
 * {@code java -jar yinghuo.jar} runs), from the web app's {@code target/classes} and its run-time class path
 * ({@code target/runtime-classpath.txt}, written by the web app's build). Solr's server side stays in the test JVM,
 * so its Jetty never meets Javalin's. Output goes to {@code serve-out.txt} / {@code serve-err.txt} in the given
 * folder (quoted when the start fails).
 */
final class ServeProcess implements AutoCloseable {

    static final long START_SECONDS = 180;
    private static final Pattern BANNER = Pattern.compile("yinghuo serve: (http://\\S+?)/?\\s");

    private final Process process;
    private final Path dir;
    final String base;
    /** Ends the server if the test JVM ends without {@link #close} (a crash, a timeout of surefire's fork). */
    private final Thread killer;

    private ServeProcess(Process process, Path dir, String base) {
        this.process = process;
        this.dir = dir;
        this.base = base;
        this.killer = new Thread(process::destroyForcibly, "serve-killer-" + process.pid());
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /** The web app's folder: {@code -Dyinghuo.webapp.dir} (set by this module's build), else {@code ../webapp}. */
    static Path webappDir() {
        return Path.of(System.getProperty("yinghuo.webapp.dir", "../webapp")).toAbsolutePath().normalize();
    }

    /** The class path of {@code serve}: the web app's classes and its run-time dependencies. */
    static String classPath() throws IOException {
        Path target = webappDir().resolve("target");
        Path file = target.resolve("runtime-classpath.txt");
        if (!Files.isDirectory(target.resolve("classes")) || !Files.isRegularFile(file)) {
            throw new IllegalStateException("no " + file + ": the web app is built before this module ("
                    + "mvn -pl retrieval-solr-cluster-tests -am test builds it)");
        }
        return target.resolve("classes") + java.io.File.pathSeparator
                + Files.readString(file, StandardCharsets.UTF_8).strip();
    }

    /**
     * Starts {@code serve --port 0 --no-vectors --data DIR/data} with {@code extraArgs} (e.g. {@code --index
     * solr:…}) and returns once it listens.
     */
    static ServeProcess start(Path dir, String... extraArgs) throws Exception {
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dfile.encoding=UTF-8",
                // given here, so the command runs in this JVM instead of relaunching itself with the module
                "--add-modules", "jdk.incubator.vector",
                "-cp", classPath(), "io.yinghuo.cli.Main",
                "serve", "--port", "0", "--no-vectors", "--data", dir.resolve("data").toString()));
        command.addAll(List.of(extraArgs));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(dir.resolve("serve-err.txt").toFile());
        pb.environment().remove("YINGHUO_RELAUNCH");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        Process process = pb.start();
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread copier = new Thread(() -> copyOutput(process, dir.resolve("serve-out.txt"), url),
                "serve-output-" + process.pid());
        copier.setDaemon(true);
        copier.start();
        process.onExit().thenRun(() -> url.completeExceptionally(new IllegalStateException(
                "serve exited with " + process.exitValue() + " before listening")));
        try {
            return new ServeProcess(process, dir, url.get(START_SECONDS, TimeUnit.SECONDS));
        } catch (Exception e) {
            process.destroyForcibly();
            throw new AssertionError((e instanceof TimeoutException ? "serve did not listen within "
                    + START_SECONDS + " s" : e.getCause() != null ? e.getCause().getMessage() : e.toString())
                    + "\nstdout:\n" + read(dir.resolve("serve-out.txt")) + "\nstderr:\n"
                    + read(dir.resolve("serve-err.txt")), e);
        }
    }

    /** Copies the server's stdout to a file and completes {@code url} with the address its banner names. */
    private static void copyOutput(Process process, Path log, CompletableFuture<String> url) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.write(line + "\n");
                out.flush();
                Matcher banner = BANNER.matcher(line + " ");
                if (banner.find()) {
                    url.complete(banner.group(1));
                }
            }
        } catch (IOException e) {
            url.completeExceptionally(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** What the server wrote to stderr so far (warnings, the logs of failed requests). */
    String stderr() {
        return read(dir.resolve("serve-err.txt"));
    }

    AppClient client() {
        return new AppClient(base);
    }

    /** Ctrl-C (SIGTERM): the server's shutdown hook commits what is queued and closes the index. */
    @Override
    public void close() throws InterruptedException {
        Runtime.getRuntime().removeShutdownHook(killer);
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
