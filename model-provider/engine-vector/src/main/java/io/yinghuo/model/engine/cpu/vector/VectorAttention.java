package io.yinghuo.model.engine.cpu.vector;

import io.yinghuo.model.util.Fp16;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.util.Arrays;

import static io.yinghuo.model.engine.cpu.vector.VectorKernels.F;
import static io.yinghuo.model.engine.cpu.vector.VectorKernels.loadHalf;

/**
 * Attention's two products against the fp16 KV cache, one kv head's positions lying end to end (rows of n values):
 * scores q.k_t for every position t, and the probability-weighted sum of the values. Both are bound by reading
 * the cache and converting fp16 to float (five vector operations per 8 values), so each loaded or converted
 * vector is used as often as possible while it is in a register:
 * <ul>
 *   <li>scores: four positions at a time share each load of q (four accumulators, one horizontal sum per
 *       position at the end);</li>
 *   <li>weighted sum: 32 output floats stay in four accumulators while a block of positions streams past (the
 *       output is loaded and stored once per block instead of once per position); blocks of 64 positions keep
 *       the rows being read (64 x 256 bytes for a 128-wide head) in the L1 cache across the column chunks.</li>
 * </ul>
 */
final class VectorAttention {
    private static final int L = F.length();
    private static final int POSITION_BLOCK = 64;

    private VectorAttention() {
    }

    static void dotHalfRows(float[] a, int ao, short[] b, int bo, int n, int count, float[] out, int oo) {
        int vn = n - n % L;
        int t = 0;
        for (; t + 4 <= count; t += 4) {
            int r0 = bo + t * n;
            int r1 = r0 + n;
            int r2 = r1 + n;
            int r3 = r2 + n;
            FloatVector c0 = FloatVector.zero(F);
            FloatVector c1 = FloatVector.zero(F);
            FloatVector c2 = FloatVector.zero(F);
            FloatVector c3 = FloatVector.zero(F);
            for (int i = 0; i < vn; i += L) {
                FloatVector q = FloatVector.fromArray(F, a, ao + i);
                c0 = loadHalf(b, r0 + i).fma(q, c0);
                c1 = loadHalf(b, r1 + i).fma(q, c1);
                c2 = loadHalf(b, r2 + i).fma(q, c2);
                c3 = loadHalf(b, r3 + i).fma(q, c3);
            }
            float s0 = c0.reduceLanes(VectorOperators.ADD);
            float s1 = c1.reduceLanes(VectorOperators.ADD);
            float s2 = c2.reduceLanes(VectorOperators.ADD);
            float s3 = c3.reduceLanes(VectorOperators.ADD);
            for (int i = vn; i < n; i++) {
                float q = a[ao + i];
                s0 += q * Fp16.toFloat(b[r0 + i]);
                s1 += q * Fp16.toFloat(b[r1 + i]);
                s2 += q * Fp16.toFloat(b[r2 + i]);
                s3 += q * Fp16.toFloat(b[r3 + i]);
            }
            out[oo + t] = s0;
            out[oo + t + 1] = s1;
            out[oo + t + 2] = s2;
            out[oo + t + 3] = s3;
        }
        for (; t < count; t++) {
            int r = bo + t * n;
            FloatVector c = FloatVector.zero(F);
            for (int i = 0; i < vn; i += L) {
                c = loadHalf(b, r + i).fma(FloatVector.fromArray(F, a, ao + i), c);
            }
            float s = c.reduceLanes(VectorOperators.ADD);
            for (int i = vn; i < n; i++) {
                s += a[ao + i] * Fp16.toFloat(b[r + i]);
            }
            out[oo + t] = s;
        }
    }

    static void weightedSumHalf(float[] p, int po, short[] b, int bo, int n, int count, float[] y, int yo) {
        Arrays.fill(y, yo, yo + n, 0f);
        for (int t0 = 0; t0 < count; t0 += POSITION_BLOCK) {
            int t1 = Math.min(count, t0 + POSITION_BLOCK);
            int c = 0;
            for (; c + 4 * L <= n; c += 4 * L) {
                FloatVector a0 = FloatVector.fromArray(F, y, yo + c);
                FloatVector a1 = FloatVector.fromArray(F, y, yo + c + L);
                FloatVector a2 = FloatVector.fromArray(F, y, yo + c + 2 * L);
                FloatVector a3 = FloatVector.fromArray(F, y, yo + c + 3 * L);
                int r = bo + t0 * n + c;
                for (int t = t0; t < t1; t++, r += n) {
                    FloatVector w = FloatVector.broadcast(F, p[po + t]);
                    a0 = loadHalf(b, r).fma(w, a0);
                    a1 = loadHalf(b, r + L).fma(w, a1);
                    a2 = loadHalf(b, r + 2 * L).fma(w, a2);
                    a3 = loadHalf(b, r + 3 * L).fma(w, a3);
                }
                a0.intoArray(y, yo + c);
                a1.intoArray(y, yo + c + L);
                a2.intoArray(y, yo + c + 2 * L);
                a3.intoArray(y, yo + c + 3 * L);
            }
            for (; c + L <= n; c += L) {
                FloatVector a0 = FloatVector.fromArray(F, y, yo + c);
                int r = bo + t0 * n + c;
                for (int t = t0; t < t1; t++, r += n) {
                    a0 = loadHalf(b, r).fma(FloatVector.broadcast(F, p[po + t]), a0);
                }
                a0.intoArray(y, yo + c);
            }
            for (; c < n; c++) {
                float s = y[yo + c];
                int r = bo + t0 * n + c;
                for (int t = t0; t < t1; t++, r += n) {
                    s += p[po + t] * Fp16.toFloat(b[r]);
                }
                y[yo + c] = s;
            }
        }
    }

    static double expShifted(float[] s, int n, float shift) {
        FloatVector sum = FloatVector.zero(F);
        FloatVector sh = FloatVector.broadcast(F, shift);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector e = FloatVector.fromArray(F, s, i).sub(sh).lanewise(VectorOperators.EXP);
            e.intoArray(s, i);
            sum = sum.add(e);
        }
        double total = sum.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float e = (float) Math.exp(s[i] - shift);
            s[i] = e;
            total += e;
        }
        return total;
    }
}
