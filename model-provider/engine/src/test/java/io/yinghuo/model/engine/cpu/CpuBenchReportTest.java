package io.yinghuo.model.engine.cpu;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yinghuo.model.engine.BenchResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code yinghuo bench} prints and writes as JSON for one run: 200 prompt tokens in 0.5 s, 50 decoded in 2 s,
 * 1 GB of weights read per decoded token, against a 10 GB/s read ceiling.
 */
class CpuBenchReportTest {

    private static final BenchResult RUN = new BenchResult(200, 50, 0.5, 2.0, 0.8, 4.0);
    private static final CpuBench.Report REPORT = new CpuBench.Report("cpu (scalar, 2 threads)", RUN, 1_000_000_000L,
            1e10);

    @Test
    void decodeBandwidthIsBytesPerTokenTimesTokensPerSecondAndItsShareOfTheCeiling() {
        assertEquals(25e9, REPORT.achievedBytesPerSecond(), 1);
        assertEquals(2.5, REPORT.fractionOfCeiling(), 1e-12);
        assertEquals("cpu (scalar, 2 threads): prefill 200 tokens 400.0 tok/s; decode 50 tokens 25.00 tok/s;"
                + " 1.000 GB/token -> 25.00 GB/s = 250% of the measured 10.00 GB/s read ceiling", REPORT.toString());
    }

    @Test
    void theJsonNamesEveryFigure() {
        ObjectNode json = REPORT.toJson("tiny");
        assertEquals("{\"backend\":\"cpu (scalar, 2 threads)\",\"model\":\"tiny\",\"prompt_tokens\":200,"
                + "\"prefill_tokens_per_second\":400.0,\"decode_tokens\":50,\"decode_tokens_per_second\":25.0,"
                + "\"bytes_per_token\":1000000000,\"achieved_bytes_per_second\":2.5E10,"
                + "\"prefill_tokens_per_cpu_second\":250.0,\"decode_tokens_per_cpu_second\":12.5}", json.toString());
    }

    @Test
    void cpuRatesTheJvmCannotMeasureAreNull() {
        BenchResult noCpuTime = new BenchResult(200, 50, 0.5, 2.0, Double.NaN, Double.NaN);
        ObjectNode json = new CpuBench.Report("cpu", noCpuTime, 1, 1).toJson("m");
        assertTrue(json.get("prefill_tokens_per_cpu_second").isNull());
        assertTrue(json.get("decode_tokens_per_cpu_second").isNull());
        assertEquals(400.0, json.get("prefill_tokens_per_second").asDouble());
    }

    @Test
    void aBandwidthMeasuredElsewhereGivesItsOwnFraction() {
        ObjectNode given = REPORT.putGivenBandwidth(REPORT.toJson("m"), 5e10);
        assertEquals(5e10, given.get("bandwidth_bytes_per_second").asDouble());
        assertEquals(0.5, given.get("fraction_of_bandwidth").asDouble(), 1e-12);

        ObjectNode none = REPORT.putGivenBandwidth(REPORT.toJson("m"), null);
        assertTrue(none.get("bandwidth_bytes_per_second").isNull());
        assertTrue(none.get("fraction_of_bandwidth").isNull());

        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> REPORT.putGivenBandwidth(REPORT.toJson("m"), bad));
            assertEquals("the bandwidth must be a positive number of bytes per second, got " + bad, e.getMessage());
        }
    }
}
