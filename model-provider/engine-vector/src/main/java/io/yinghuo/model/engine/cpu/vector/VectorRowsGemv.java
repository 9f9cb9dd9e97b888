package io.yinghuo.model.engine.cpu.vector;

import io.yinghuo.model.engine.cpu.PackedGptq;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import static io.yinghuo.model.engine.cpu.PackedGptq.TILE;

/**
 * The 4-bit GPTQ product for several activation rows (several sequences' decode steps) that unpacks each weight
 * word once for four rows: per code, one AND and one int-to-float conversion, then one FMA per row. Batched decode
 * on the CPU is bound by that unpacking, not by reading the weights, so amortizing it is where the aggregate speed of
 * several streams comes from.
 *
 * <p>Every row is accumulated exactly as {@code VectorKernels.gemv4} accumulates a single row (same pre-scaled
 * activations from {@code gptqGather}, four partial sums per group in the same code order, the same combination with
 * scale and zero point), so a sequence gets bit-identical outputs alone and in a batch. Rows run in blocks of four
 * (4 x 5 accumulators fit the 32 vector registers of AVX-512), the rest one at a time; the blocks of a tile re-read
 * its weights from cache, not memory. The int-to-float conversions are written out in the loops, not behind a
 * helper: in methods this large C2 stops inlining small helpers (see VectorKernels' GEMV_INLINING note), and a
 * helper left as a call boxes its vectors and runs the Java fallback, about 50x slower.
 */
final class VectorRowsGemv {
    // the species must be constants for C2 to intrinsify the vector operations
    private static final VectorSpecies<Float> F = VectorKernels.F;
    private static final VectorSpecies<Integer> I = VectorKernels.I;

    private VectorRowsGemv() {
    }

    static void gemv4Rows(PackedGptq w, float[] xg, float[] gs, int rows, float[] y, int t0, int t1) {
        int lanes = F.length();
        for (int t = t0; t < t1; t++) {
            for (int sub = 0; sub < TILE; sub += lanes) {
                int m = 0;
                for (; m + 4 <= rows; m += 4) {
                    block4(w, xg, gs, m, y, t, sub);
                }
                for (; m < rows; m++) {
                    block1(w, xg, gs, m, y, t, sub);
                }
            }
        }
    }

    private static void block4(PackedGptq w, float[] xg, float[] gs, int m, float[] y, int t, int sub) {
        int[] data = w.data();
        int kp = w.paddedRows();
        int groups = w.groups();
        int stride = w.tileStride();
        FloatVector o0 = FloatVector.zero(F);
        FloatVector o1 = FloatVector.zero(F);
        FloatVector o2 = FloatVector.zero(F);
        FloatVector o3 = FloatVector.zero(F);
        for (int g = 0; g < groups; g++) {
            int base = t * stride + w.groupOffset(g);
            IntVector header = IntVector.fromArray(I, data, base + sub);
            FloatVector scale = VectorKernels.headerScale(header);
            FloatVector zero = VectorKernels.headerZero(header);
            FloatVector a00 = FloatVector.zero(F);
            FloatVector a01 = FloatVector.zero(F);
            FloatVector a02 = FloatVector.zero(F);
            FloatVector a03 = FloatVector.zero(F);
            FloatVector a10 = FloatVector.zero(F);
            FloatVector a11 = FloatVector.zero(F);
            FloatVector a12 = FloatVector.zero(F);
            FloatVector a13 = FloatVector.zero(F);
            FloatVector a20 = FloatVector.zero(F);
            FloatVector a21 = FloatVector.zero(F);
            FloatVector a22 = FloatVector.zero(F);
            FloatVector a23 = FloatVector.zero(F);
            FloatVector a30 = FloatVector.zero(F);
            FloatVector a31 = FloatVector.zero(F);
            FloatVector a32 = FloatVector.zero(F);
            FloatVector a33 = FloatVector.zero(F);
            int p = base + TILE + sub;
            int x0 = m * kp + w.groupFirstRow(g);
            int x1 = x0 + kp;
            int x2 = x1 + kp;
            int x3 = x2 + kp;
            for (int wr = w.groupWords(g); wr > 0; wr--, p += TILE, x0 += 8, x1 += 8, x2 += 8, x3 += 8) {
                IntVector q = IntVector.fromArray(I, data, p);
                FloatVector c = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF).convertShape(VectorOperators.I2F, F, 0));
                a00 = c.fma(FloatVector.broadcast(F, xg[x0]), a00);
                a10 = c.fma(FloatVector.broadcast(F, xg[x1]), a10);
                a20 = c.fma(FloatVector.broadcast(F, xg[x2]), a20);
                a30 = c.fma(FloatVector.broadcast(F, xg[x3]), a30);
                c = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF0).convertShape(VectorOperators.I2F, F, 0));
                a01 = c.fma(FloatVector.broadcast(F, xg[x0 + 1]), a01);
                a11 = c.fma(FloatVector.broadcast(F, xg[x1 + 1]), a11);
                a21 = c.fma(FloatVector.broadcast(F, xg[x2 + 1]), a21);
                a31 = c.fma(FloatVector.broadcast(F, xg[x3 + 1]), a31);
                c = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF00).convertShape(VectorOperators.I2F, F, 0));
                a02 = c.fma(FloatVector.broadcast(F, xg[x0 + 2]), a02);
                a12 = c.fma(FloatVector.broadcast(F, xg[x1 + 2]), a12);
                a22 = c.fma(FloatVector.broadcast(F, xg[x2 + 2]), a22);
                a32 = c.fma(FloatVector.broadcast(F, xg[x3 + 2]), a32);
                c = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF000).convertShape(VectorOperators.I2F, F, 0));
                a03 = c.fma(FloatVector.broadcast(F, xg[x0 + 3]), a03);
                a13 = c.fma(FloatVector.broadcast(F, xg[x1 + 3]), a13);
                a23 = c.fma(FloatVector.broadcast(F, xg[x2 + 3]), a23);
                a33 = c.fma(FloatVector.broadcast(F, xg[x3 + 3]), a33);
                c = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF0000).convertShape(VectorOperators.I2F, F, 0));
                a00 = c.fma(FloatVector.broadcast(F, xg[x0 + 4]), a00);
                a10 = c.fma(FloatVector.broadcast(F, xg[x1 + 4]), a10);
                a20 = c.fma(FloatVector.broadcast(F, xg[x2 + 4]), a20);
                a30 = c.fma(FloatVector.broadcast(F, xg[x3 + 4]), a30);
                c = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF00000).convertShape(VectorOperators.I2F, F, 0));
                a01 = c.fma(FloatVector.broadcast(F, xg[x0 + 5]), a01);
                a11 = c.fma(FloatVector.broadcast(F, xg[x1 + 5]), a11);
                a21 = c.fma(FloatVector.broadcast(F, xg[x2 + 5]), a21);
                a31 = c.fma(FloatVector.broadcast(F, xg[x3 + 5]), a31);
                c = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF000000).convertShape(VectorOperators.I2F, F, 0));
                a02 = c.fma(FloatVector.broadcast(F, xg[x0 + 6]), a02);
                a12 = c.fma(FloatVector.broadcast(F, xg[x1 + 6]), a12);
                a22 = c.fma(FloatVector.broadcast(F, xg[x2 + 6]), a22);
                a32 = c.fma(FloatVector.broadcast(F, xg[x3 + 6]), a32);
                c = ((FloatVector) q.lanewise(VectorOperators.LSHR, 28).convertShape(VectorOperators.I2F, F, 0));
                a03 = c.fma(FloatVector.broadcast(F, xg[x0 + 7]), a03);
                a13 = c.fma(FloatVector.broadcast(F, xg[x1 + 7]), a13);
                a23 = c.fma(FloatVector.broadcast(F, xg[x2 + 7]), a23);
                a33 = c.fma(FloatVector.broadcast(F, xg[x3 + 7]), a33);
            }
            int gi = m * groups + g;
            o0 = a00.add(a01).add(a02.add(a03)).sub(zero.mul(gs[gi])).fma(scale, o0);
            o1 = a10.add(a11).add(a12.add(a13)).sub(zero.mul(gs[gi + groups])).fma(scale, o1);
            o2 = a20.add(a21).add(a22.add(a23)).sub(zero.mul(gs[gi + 2 * groups])).fma(scale, o2);
            o3 = a30.add(a31).add(a32.add(a33)).sub(zero.mul(gs[gi + 3 * groups])).fma(scale, o3);
        }
        // stored with the API directly: a helper called after the unrolled loop may not be inlined (VectorKernels'
        // GEMV_INLINING note), and then boxes its vector argument
        int n = w.outFeatures();
        int col = t * TILE + sub;
        if (col + F.length() <= n) {
            o0.intoArray(y, m * n + col);
            o1.intoArray(y, (m + 1) * n + col);
            o2.intoArray(y, (m + 2) * n + col);
            o3.intoArray(y, (m + 3) * n + col);
        } else if (col < n) {
            o0.intoArray(y, m * n + col, F.indexInRange(col, n));
            o1.intoArray(y, (m + 1) * n + col, F.indexInRange(col, n));
            o2.intoArray(y, (m + 2) * n + col, F.indexInRange(col, n));
            o3.intoArray(y, (m + 3) * n + col, F.indexInRange(col, n));
        }
    }

    private static void block1(PackedGptq w, float[] xg, float[] gs, int m, float[] y, int t, int sub) {
        int[] data = w.data();
        int kp = w.paddedRows();
        int groups = w.groups();
        int stride = w.tileStride();
        FloatVector out = FloatVector.zero(F);
        for (int g = 0; g < groups; g++) {
            int base = t * stride + w.groupOffset(g);
            IntVector header = IntVector.fromArray(I, data, base + sub);
            FloatVector scale = VectorKernels.headerScale(header);
            FloatVector zero = VectorKernels.headerZero(header);
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F);
            FloatVector a3 = FloatVector.zero(F);
            int p = base + TILE + sub;
            int x = m * kp + w.groupFirstRow(g);
            for (int wr = w.groupWords(g); wr > 0; wr--, p += TILE, x += 8) {
                IntVector q = IntVector.fromArray(I, data, p);
                a0 = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF).convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.broadcast(F, xg[x]), a0);
                a1 = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF0).convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.broadcast(F, xg[x + 1]), a1);
                a2 = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF00).convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.broadcast(F, xg[x + 2]), a2);
                a3 = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF000).convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.broadcast(F, xg[x + 3]), a3);
                a0 = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF0000).convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.broadcast(F, xg[x + 4]), a0);
                a1 = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF00000).convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.broadcast(F, xg[x + 5]), a1);
                a2 = ((FloatVector) q.lanewise(VectorOperators.AND, 0xF000000).convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.broadcast(F, xg[x + 6]), a2);
                a3 = ((FloatVector) q.lanewise(VectorOperators.LSHR, 28).convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.broadcast(F, xg[x + 7]), a3);
            }
            out = a0.add(a1).add(a2.add(a3)).sub(zero.mul(gs[m * groups + g])).fma(scale, out);
        }
        int n = w.outFeatures();
        int col = t * TILE + sub;
        if (col + F.length() <= n) {
            out.intoArray(y, m * n + col);
        } else if (col < n) {
            out.intoArray(y, m * n + col, F.indexInRange(col, n));
        }
    }
}
