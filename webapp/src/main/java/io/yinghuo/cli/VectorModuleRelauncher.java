package io.yinghuo.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
        if (hasVectorModule() || Boolean.getBoolean(GUARD) || disabled()) {
            return Optional.empty();
        }
        Optional<String> classPath = ownClassPath();
        if (classPath.isEmpty()) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-modules");
        command.add(MODULE);
        command.add("-D" + GUARD + "=true");
        command.add("-D" + PARENT_PID + "=" + ProcessHandle.current().pid());
        command.addAll(childJvmOptions(ManagementFactory.getRuntimeMXBean().getInputArguments(),
                Runtime.version().feature()));
        command.add("-cp");
        command.add(classPath.get());
        command.add(Main.class.getName());
        command.addAll(List.of(args));
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
        String pid = System.getProperty(PARENT_PID);
        if (pid == null || pid.isBlank()) {
            return;
        }
        Optional<ProcessHandle> parent;
        try {
            parent = ProcessHandle.of(Long.parseLong(pid.strip()));
        } catch (NumberFormatException e) {
            return;
        }
        if (parent.isEmpty() || !parent.get().isAlive()) {
            System.exit(1);
        }
        parent.get().onExit().thenRun(() -> {
            Thread exit = new Thread(() -> System.exit(1), "yinghuo-parent-gone");
            exit.setDaemon(true);
            exit.start();
        });
    }

    private static boolean disabled() {
        return "false".equalsIgnoreCase(System.getProperty("yinghuo.relaunch", System.getenv("YINGHUO_RELAUNCH")));
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
