package io.yinghuo.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Re-executes the command line in a child JVM with {@code --add-modules jdk.incubator.vector}.
 *
 * <p>Why: on Java 17 the Vector API is an incubator module that {@code java -jar} does not resolve, and an executable
 * jar's manifest cannot add modules (only Add-Opens/Add-Exports). Without it the CPU backend falls back to scalar
 * loops, several times slower. Commands that run the model therefore relaunch once; stdin/stdout/stderr are
 * inherited and the child's exit code is returned. Set {@code -Dyinghuo.relaunch=false} (or
 * {@code YINGHUO_RELAUNCH=false}) to stay in this JVM. A JVM that already has the module (for example through
 * {@code JDK_JAVA_OPTIONS="--add-modules jdk.incubator.vector"}) runs the command itself.
 *
 * <p>The child is told its parent's pid ({@code -Dyinghuo.parentPid}) and exits when that process ends, even when the
 * parent was killed with {@code kill -9} and had no chance to stop it: otherwise an orphaned {@code serve} would keep
 * the port and the index lock.
 */
final class VectorModuleRelauncher {

    static final String MODULE = "jdk.incubator.vector";
    private static final String GUARD = "yinghuo.relaunched";
    static final String PARENT_PID = "yinghuo.parentPid";
    /**
     * HotSpot's C2 stops speculating on types for the rest of a compilation once the deoptimizations ("traps")
     * recorded in the methods it has inlined add up to {@code PerMethodTrapLimit} (default 100). A Vector API kernel
     * inlines the API's shared lane-wise methods dozens of times, so traps those methods took in other kernels (a
     * long prompt's matrix multiply runs first) count many times over, and the kernel compiled after them is left
     * with real calls on boxed vectors: decode after a 512-token prompt ran 16-17 tok/s against 19-21 with the limit
     * raised (BENCHMARKS.md, "One vector width"). Per-call-site limits ({@code PerBytecodeTrapLimit}) still stop a
     * site that keeps failing.
     */
    static final String TRAP_LIMIT = "-XX:PerMethodTrapLimit=100000";

    private VectorModuleRelauncher() {
    }

    /** The child's exit code when a relaunch happened, empty when this JVM should run the command itself. */
    static Optional<Integer> relaunchIfUseful(String[] args) {
        if (!wanted(hasVectorModule(), Boolean.getBoolean(GUARD), System.getProperty("yinghuo.relaunch"),
                System.getenv("YINGHUO_RELAUNCH"))) {
            return Optional.empty();
        }
        Optional<String> classPath = ownClassPath();
        if (classPath.isEmpty()) {
            return Optional.empty();
        }
        List<String> command = childCommand(Path.of(System.getProperty("java.home")), ProcessHandle.current().pid(),
                ManagementFactory.getRuntimeMXBean().getInputArguments(), Runtime.version().feature(),
                classPath.get(), args);
        try {
            Process child = new ProcessBuilder(command).inheritIO().start();
            Thread stopChild = new Thread(child::destroy, "yinghuo-relaunch-stop");
            Runtime.getRuntime().addShutdownHook(stopChild);
            int code = child.waitFor();
            Runtime.getRuntime().removeShutdownHook(stopChild);
            return Optional.of(code);
        } catch (Exception e) {
            System.err.println("yinghuo: could not start a JVM with " + MODULE + " (" + e.getMessage()
                    + "); continuing with the scalar CPU kernels");
            return Optional.empty();
        }
    }

    /**
     * Whether to relaunch: not when this JVM has the module already, not in a relaunched child, and not when the
     * user said {@code false} in the system property {@code yinghuo.relaunch} or, without it, in
     * {@code YINGHUO_RELAUNCH} (any case).
     */
    static boolean wanted(boolean hasModule, boolean relaunched, String property, String environment) {
        String setting = property != null ? property : environment;
        return !hasModule && !relaunched && !"false".equalsIgnoreCase(setting);
    }

    /**
     * The child's command line: this Java with the module, the guard and the parent's pid, this JVM's options
     * ({@link #childJvmOptions}), this class path, {@link Main} and the same arguments.
     */
    static List<String> childCommand(Path javaHome, long parentPid, List<String> jvmArgs, int javaFeature,
                                     String classPath, String[] args) {
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin").resolve("java").toString());
        command.add("--add-modules");
        command.add(MODULE);
        command.add("-D" + GUARD + "=true");
        command.add("-D" + PARENT_PID + "=" + parentPid);
        command.addAll(childJvmOptions(jvmArgs, javaFeature));
        command.add("-cp");
        command.add(classPath);
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        return command;
    }

    /**
     * The child's JVM options after the module and guard: this JVM's own options, then the defaults below for those
     * the user did not set.
     */
    static List<String> childJvmOptions(List<String> jvmArgs, int javaFeature) {
        List<String> command = new ArrayList<>(jvmArgs);
        if (javaFeature >= 24) {
            // Java 24+ warns about JCuda's System.loadLibrary (JEP 472) and about the Unsafe.invokeCleaner that
            // unmaps checkpoint files (JEP 498) unless told these are allowed.
            if (jvmArgs.stream().noneMatch(a -> a.startsWith("--enable-native-access"))) {
                command.add("--enable-native-access=ALL-UNNAMED");
            }
            if (jvmArgs.stream().noneMatch(a -> a.startsWith("--sun-misc-unsafe-memory-access"))) {
                command.add("--sun-misc-unsafe-memory-access=allow");
            }
        }
        if (jvmArgs.stream().noneMatch(a -> a.startsWith("-Xmx") || a.contains("MaxRAMPercentage"))) {
            // The CPU backend keeps repacked weights and the KV cache on the heap; the JVM's default of a quarter
            // of RAM is too small for 13B models, so without an explicit -Xmx allow three quarters.
            command.add("-XX:MaxRAMPercentage=75");
        }
        if (jvmArgs.stream().noneMatch(a -> a.startsWith("-XX:PerMethodTrapLimit"))) {
            command.add(TRAP_LIMIT);
        }
        return command;
    }

    /** Whether this JVM resolved the Vector API module (command line, {@code JDK_JAVA_OPTIONS} or a relaunch). */
    static boolean hasVectorModule() {
        return ModuleLayer.boot().findModule(MODULE).isPresent();
    }

    /**
     * In a relaunched child: exits (running the shutdown hooks, so that {@code serve} closes its index) as soon as the
     * parent JVM ends, however it ended. Does nothing in a JVM that was not relaunched.
     */
    static void exitWithParent() {
        Optional<CompletableFuture<?>> parentGone = parentExit(System.getProperty(PARENT_PID));
        if (parentGone.isEmpty()) {
            return;
        }
        if (parentGone.get().isDone()) {
            System.exit(1); // before the command starts
        }
        parentGone.get().thenRun(() -> {
            Thread exit = new Thread(() -> System.exit(1), "yinghuo-parent-gone");
            exit.setDaemon(true);
            exit.start();
        });
    }

    /**
     * When the parent named by {@code parentPid} ends: a future that completes then (at once if it has ended
     * already), or empty when there is no valid parent pid (a JVM that was not relaunched).
     */
    static Optional<CompletableFuture<?>> parentExit(String parentPid) {
        if (parentPid == null || parentPid.isBlank()) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(parentPid.strip());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Optional<ProcessHandle> parent = ProcessHandle.of(pid);
        if (parent.isEmpty() || !parent.get().isAlive()) {
            return Optional.of(CompletableFuture.completedFuture(null));
        }
        return Optional.of(parent.get().onExit());
    }

    /** The class path to start the child with: this JVM's (the jar itself under {@code java -jar}). */
    private static Optional<String> ownClassPath() {
        String classPath = System.getProperty("java.class.path");
        if (classPath != null && !classPath.isBlank()) {
            return Optional.of(classPath);
        }
        try {
            Path p = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Optional.of(p.toString());
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
