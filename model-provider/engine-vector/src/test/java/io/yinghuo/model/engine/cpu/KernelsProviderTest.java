package io.yinghuo.model.engine.cpu;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Vector API is optional at runtime: without the module (or with -Dyinghuo.vector=false) the scalar kernels run. */
class KernelsProviderTest {

    @Test
    void testsRunWithTheVectorKernels() {
        assertTrue(KernelsProvider.get().name().startsWith("vector"), KernelsProvider.get().name());
    }

    @Test
    void withoutTheIncubatorModuleTheScalarKernelsRun() throws Exception {
        String out = fork(List.of());
        assertTrue(out.contains("kernels=scalar int8x2 logits=50"), out);
    }

    @Test
    void thePropertyForcesTheScalarKernels() throws Exception {
        String out = fork(List.of("--add-modules", "jdk.incubator.vector", "-D" + KernelsProvider.VECTOR_PROPERTY
                + "=false"));
        assertTrue(out.contains("kernels=scalar int8x2 logits=50"), out);
    }

    private static String fork(List<String> jvmArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(KernelsProbe.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
