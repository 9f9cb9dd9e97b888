package io.yinghuo.model.weights;

import io.yinghuo.model.checkpoint.DType;
import io.yinghuo.model.checkpoint.ModelLoadException;
import io.yinghuo.model.checkpoint.SafetensorsFile;
import io.yinghuo.model.config.QuantConfig;
import io.yinghuo.model.synth.SafetensorsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loader against int32 words written down by hand from AutoGPTQ's packing (not produced by our own packer):
 * qweight word [k / (32/bits), n] holds row k at bit offset bits * (k % (32/bits)), qzeros word [g, n / (32/bits)]
 * holds column n likewise, v1 stores zero - 1, and W = scale * (q - zero);
 * a 16 x 8 matrix, K = 16 inputs, N = 8 outputs.
 */
class GptqPackingTest {
    private static final short ONE = 0x3C00;  // fp16 1.0
    private static final short HALF = 0x3800; // fp16 0.5
    private static final short TWO = 0x4000;  // fp16 2.0

    @TempDir
    Path dir;

    private GptqLinear load(QuantConfig quant, int[] qweight, int[] qzeros, short[] scales, int[] gIdx,
                            short[] bias) throws IOException {
        int k = 16;
        int n = 8;
        int per = 32 / quant.bits();
        int groups = scales.length / n;
        SafetensorsWriter w = new SafetensorsWriter()
                .add("l.qweight", DType.I32, new long[] {k / per, n}, out -> out.putInts(qweight, 0, qweight.length))
                .add("l.qzeros", DType.I32, new long[] {groups, n / per}, out -> out.putInts(qzeros, 0, qzeros.length))
                .add("l.scales", DType.F16, new long[] {groups, n}, out -> out.putShorts(scales, 0, scales.length));
        if (gIdx != null) {
            w.add("l.g_idx", DType.I32, new long[] {k}, out -> out.putInts(gIdx, 0, k));
        }
        if (bias != null) {
            w.add("l.bias", DType.F16, new long[] {n}, out -> out.putShorts(bias, 0, n));
        }
        Path file = dir.resolve("l.safetensors");
        w.write(file);
        SafetensorsFile source = SafetensorsFile.open(file);
        return (GptqLinear) new LinearLoader(new CheckedTensors(source, "test"), quant).load("l", k, n);
    }

    private static short[] fill(int count, short value) {
        short[] a = new short[count];
        java.util.Arrays.fill(a, value);
        return a;
    }

    @Test
    void fourBitSymV1() throws IOException {
        // Codes q(k, n) = k: row 0 of qweight holds k = 0..7 in nibbles 0..7 of every column, row 1 k = 8..15.
        int[] qweight = new int[2 * 8];
        for (int n = 0; n < 8; n++) {
            qweight[n] = 0x76543210;
            qweight[8 + n] = 0xFEDCBA98;
        }
        // sym 4-bit: zero 8, stored as 7 in every nibble by v1.
        int[] qzeros = {0x77777777};
        GptqLinear l = load(new QuantConfig(4, -1, false, true, true), qweight, qzeros, fill(8, HALF),
                new int[16], fill(8, (short) 0));
        assertEquals(16, l.groupSize(), "group size -1 means all of K");
        assertEquals(1, l.groups());
        for (int k = 0; k < 16; k++) {
            for (int n = 0; n < 8; n++) {
                assertEquals(k, l.code(k, n));
                assertEquals(0.5f * (k - 8), l.weight(k, n), "W = scale * (q - (zstored + 1))");
            }
        }
        assertNull(l.biasValues(), "an all-zero AutoGPTQ bias is dropped");
        assertTrue(l.qweight().isDirect() && l.scales().isDirect(), "views of the mapping, not heap copies");
    }

    @Test
    void eightBitSymV1() throws IOException {
        // 8-bit: 4 codes per word; q(k, n) = 16k + n. Row r holds k = 4r..4r+3 in bytes 0..3.
        int[] qweight = new int[4 * 8];
        for (int r = 0; r < 4; r++) {
            for (int n = 0; n < 8; n++) {
                int word = 0;
                for (int s = 0; s < 4; s++) {
                    word |= (16 * (4 * r + s) + n) << (8 * s);
                }
                qweight[r * 8 + n] = word;
            }
        }
        assertEquals(0x30201000, qweight[0]);
        assertEquals(0x37271707, qweight[7]);
        int[] qzeros = {0x7F7F7F7F, 0x7F7F7F7F}; // zero 128 stored as 127, 4 columns per word
        GptqLinear l = load(new QuantConfig(8, 16, false, true, true), qweight, qzeros, fill(8, ONE), null, null);
        for (int k = 0; k < 16; k++) {
            for (int n = 0; n < 8; n++) {
                assertEquals(16 * k + n - 128, l.weight(k, n));
            }
        }
        assertArrayEquals(new int[16], l.gIdx(), "no g_idx tensor: k / G");
    }

    @Test
    void asymZerosV1AndV2() throws IOException {
        int[] qweight = new int[2 * 8];
        java.util.Arrays.fill(qweight, 0x55555555); // every code 5
        int[] qzeros = {0x76543210};                // stored zero of column n is n
        GptqLinear v1 = load(new QuantConfig(4, 16, false, false, true), qweight, qzeros, fill(8, TWO), null, null);
        GptqLinear v2 = load(new QuantConfig(4, 16, false, false, false), qweight, qzeros, fill(8, TWO), null, null);
        for (int n = 0; n < 8; n++) {
            assertEquals(n + 1, v1.zero(0, n), "v1 stores zero - 1");
            assertEquals(n, v2.zero(0, n), "gptq_v2 stores the zero");
            assertEquals(2f * (5 - (n + 1)), v1.weight(3, n));
            assertEquals(2f * (5 - n), v2.weight(3, n));
        }
    }

    @Test
    void actOrderUsesGIdxAndKeepsANonZeroBias() throws IOException {
        int[] qweight = new int[2 * 8];
        java.util.Arrays.fill(qweight, 0x99999999); // every code 9
        int[] qzeros = {0x77777777, 0x77777777};    // 2 groups, zero 8
        short[] scales = new short[16];
        for (int n = 0; n < 8; n++) {
            scales[n] = ONE;      // group 0
            scales[8 + n] = TWO;  // group 1
        }
        // Non-monotonic: odd rows in group 0, even rows in group 1.
        int[] gIdx = new int[16];
        for (int k = 0; k < 16; k++) {
            gIdx[k] = (k + 1) % 2;
        }
        short[] bias = fill(8, (short) 0);
        bias[3] = HALF;
        GptqLinear l = load(new QuantConfig(4, 8, true, true, true), qweight, qzeros, scales, gIdx, bias);
        assertTrue(l.actOrder());
        assertEquals(2f, l.weight(0, 0));
        assertEquals(1f, l.weight(1, 0));
        assertEquals(0.5f, l.bias(3));
        assertEquals(0f, l.bias(2));
    }

    @Test
    void gIdxOutOfRange() {
        int[] gIdx = new int[16];
        gIdx[5] = 2;
        String m = assertThrows(ModelLoadException.class, () -> load(new QuantConfig(4, 8, true, true, true),
                new int[16], new int[2], new short[16], gIdx, null)).getMessage();
        assertTrue(m.contains("l.g_idx[5] = 2") && m.contains("0..1"), m);
    }

    @Test
    void shapeMismatchNamesTensorAndShapes() {
        // scales for 2 groups where group size 16 needs 1
        String m = assertThrows(ModelLoadException.class, () -> load(new QuantConfig(4, 16, false, true, true),
                new int[16], new int[2], new short[16], null, null)).getMessage();
        assertTrue(m.startsWith(dir.resolve("l.safetensors") + ": tensor l.qzeros has shape [2, 1], expected [1, 1]"),
                m);
        assertFalse(m.contains("Exception"), m);
    }
}
