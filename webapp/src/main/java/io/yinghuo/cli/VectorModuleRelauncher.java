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
 * {@code YINGHUO_RELAUNCH=false}) to stay in this JVM.
 */
final class VectorModuleRelauncher {

    static final String MODULE = "jdk.incubator.vector";
    private static final String GUARD = "yinghuo.relaunched";

    private VectorModuleRelauncher() {
    }

    /** The child's exit code when a relaunch happened, empty when this JVM should run the command itself. */
    static Optional<Integer> relaunchIfUseful(String[] args) {
        if (ModuleLayer.boot().findModule(MODULE).isPresent() || Boolean.getBoolean(GUARD) || disabled()) {
            return Optional.empty();
        }
        Optional<Path> jar = ownJar();
        if (jar.isEmpty()) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-modules");
        command.add(MODULE);
        command.add("-D" + GUARD + "=true");
        List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
        command.addAll(jvmArgs);
        if (jvmArgs.stream().noneMatch(a -> a.startsWith("-Xmx") || a.contains("MaxRAMPercentage"))) {
            // The CPU backend keeps repacked weights and the KV cache on the heap; the JVM's default of a quarter
            // of RAM is too small for 13B models, so without an explicit -Xmx allow three quarters.
            command.add("-XX:MaxRAMPercentage=75");
        }
        command.add("-cp");
        command.add(jar.get().toString());
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

    private static boolean disabled() {
        return "false".equalsIgnoreCase(System.getProperty("yinghuo.relaunch", System.getenv("YINGHUO_RELAUNCH")));
    }

    private static Optional<Path> ownJar() {
        try {
            Path p = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return p.toString().endsWith(".jar") ? Optional.of(p) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
