package io.yinghuo.model.runtime;

import io.yinghuo.model.engine.Backend;
import io.yinghuo.model.engine.DeviceSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine's own tests run without the CUDA module, as an application that leaves it out does. */
class BackendSelectorTest {

    @Test
    void withoutTheCudaModuleAutoRunsOnTheCpuAndSaysWhyInOneLine() {
        List<String> log = new ArrayList<>();
        Backend backend = BackendSelector.select(DeviceSpec.AUTO, log::add);
        assertEquals("cpu", backend.name());
        assertEquals(List.of("device auto: the CUDA backend (io.yinghuo:yinghuo-engine-cuda) is not on the class path;"
                + " running on the CPU"), log);
    }

    @Test
    void withoutTheCudaModuleAskingForCudaIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BackendSelector.select(DeviceSpec.parse("cuda:1"), msg -> { }));
        assertTrue(e.getMessage().startsWith("device cuda:1 was asked for, but the CUDA backend "
                + "(io.yinghuo:yinghuo-engine-cuda) is not on the class path"), e.getMessage());
    }

    @Test
    void cpuNeverLooksForAGpu() {
        List<String> log = new ArrayList<>();
        assertEquals("cpu", BackendSelector.select(DeviceSpec.CPU, log::add).name());
        assertTrue(log.isEmpty(), log.toString());
    }
}
