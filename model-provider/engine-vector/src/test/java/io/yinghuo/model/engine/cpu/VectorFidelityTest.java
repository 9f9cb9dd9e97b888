package io.yinghuo.model.engine.cpu;

import io.yinghuo.model.engine.RandomLlama.Spec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/** {@link CpuFidelityTest}'s variants with the Vector API kernels: the default path on a machine with the module. */
class VectorFidelityTest {

    static Stream<Arguments> variants() {
        return CpuFidelityTest.variants();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void vectorKernelsStayWithinTheFidelityTolerance(String name, Spec spec, String rope) {
        CpuKernels vector = KernelsProvider.vectorOrNull();
        assertNotNull(vector, "tests run with --add-modules jdk.incubator.vector: the vector kernels must load");
        CpuFidelityTest.assertFidelity(vector, name, spec, rope);
    }
}
