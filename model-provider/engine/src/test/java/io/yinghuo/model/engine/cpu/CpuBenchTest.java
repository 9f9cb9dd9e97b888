package io.yinghuo.model.engine.cpu;

import io.yinghuo.model.engine.BenchResult;
import io.yinghuo.model.engine.EngineBench;
import io.yinghuo.model.engine.EngineOptions;
import io.yinghuo.model.engine.LoadedModel;
import io.yinghuo.model.engine.RandomLlama;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bench API on a tiny model: it runs and reports consistent figures (no timing assertions). */
class CpuBenchTest {

    @Test
    void benchReportsBothPhasesAndTheBandwidthArithmetic() {
        try (LoadedModel m = new CpuBackend().load(RandomLlama.build(RandomLlama.Spec.tiny()),
                EngineOptions.defaults().withThreads(2))) {
            BenchResult r = EngineBench.run(m, 20, 5, 1);
            assertEquals(20, r.promptTokens());
            assertEquals(5, r.decodeTokens());
            assertTrue(r.prefillSeconds() > 0 && r.decodeSeconds() > 0);
            CpuBench.Report report = new CpuBench.Report(m.description(), r, m.weightBytesPerToken(), 1e10);
            assertEquals(m.weightBytesPerToken() * r.decodeTokensPerSecond() / 1e10, report.fractionOfCeiling(),
                    1e-12);
            assertTrue(report.toString().contains("tok/s"), report.toString());
            assertThrows(IllegalArgumentException.class, () -> EngineBench.run(m, 0, 5, 1));
        }
    }
}
