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
 *       the rows being read (64 x 256 bytes for a 128-wide head) in the L1 cache across the column chunks;</li>
 *   <li>four queries that read the same positions (consecutive prompt rows) share each converted vector:
 *       {@link #dotHalfRows4}, {@link #weightedSumHalf4}, with the arithmetic of four one-query calls.</li>
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
            out[oo + t] = finish(c0, a, ao, b, r0, vn, n);
            out[oo + t + 1] = finish(c1, a, ao, b, r1, vn, n);
            out[oo + t + 2] = finish(c2, a, ao, b, r2, vn, n);
            out[oo + t + 3] = finish(c3, a, ao, b, r3, vn, n);
        }
        for (; t < count; t++) {
            int r = bo + t * n;
            FloatVector c = FloatVector.zero(F);
            for (int i = 0; i < vn; i += L) {
                c = loadHalf(b, r + i).fma(FloatVector.fromArray(F, a, ao + i), c);
            }
            out[oo + t] = finish(c, a, ao, b, r, vn, n);
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
            accumulateColumns(p, po, b, bo, n, t0, t1, c, y, yo);
        }
    }

    /**
     * Four queries x two positions per step: eight accumulators, each converted key vector used by four FMAs
     * (eleven live vectors, inside AVX2's sixteen). Per (query, position) the lanes and the reduction are those of
     * {@link #dotHalfRows}; only the horizontal sum may differ in its last bit, since the Vector API leaves the
     * order of a float {@code reduceLanes(ADD)} unspecified (compiled and interpreted code differ on JDK 25).
     */
    static void dotHalfRows4(float[] a, int ao, int aStride, short[] b, int bo, int n, int count, float[] out,
                             int oo, int outStride) {
        int vn = n - n % L;
        int a1 = ao + aStride;
        int a2 = a1 + aStride;
        int a3 = a2 + aStride;
        int t = 0;
        for (; t + 2 <= count; t += 2) {
            int r0 = bo + t * n;
            int r1 = r0 + n;
            FloatVector c00 = FloatVector.zero(F);
            FloatVector c01 = FloatVector.zero(F);
            FloatVector c10 = FloatVector.zero(F);
            FloatVector c11 = FloatVector.zero(F);
            FloatVector c20 = FloatVector.zero(F);
            FloatVector c21 = FloatVector.zero(F);
            FloatVector c30 = FloatVector.zero(F);
            FloatVector c31 = FloatVector.zero(F);
            for (int i = 0; i < vn; i += L) {
                FloatVector k0 = loadHalf(b, r0 + i);
                FloatVector k1 = loadHalf(b, r1 + i);
                FloatVector q = FloatVector.fromArray(F, a, ao + i);
                c00 = k0.fma(q, c00);
                c01 = k1.fma(q, c01);
                q = FloatVector.fromArray(F, a, a1 + i);
                c10 = k0.fma(q, c10);
                c11 = k1.fma(q, c11);
                q = FloatVector.fromArray(F, a, a2 + i);
                c20 = k0.fma(q, c20);
                c21 = k1.fma(q, c21);
                q = FloatVector.fromArray(F, a, a3 + i);
                c30 = k0.fma(q, c30);
                c31 = k1.fma(q, c31);
            }
            out[oo + t] = finish(c00, a, ao, b, r0, vn, n);
            out[oo + t + 1] = finish(c01, a, ao, b, r1, vn, n);
            out[oo + outStride + t] = finish(c10, a, a1, b, r0, vn, n);
            out[oo + outStride + t + 1] = finish(c11, a, a1, b, r1, vn, n);
            out[oo + 2 * outStride + t] = finish(c20, a, a2, b, r0, vn, n);
            out[oo + 2 * outStride + t + 1] = finish(c21, a, a2, b, r1, vn, n);
            out[oo + 3 * outStride + t] = finish(c30, a, a3, b, r0, vn, n);
            out[oo + 3 * outStride + t + 1] = finish(c31, a, a3, b, r1, vn, n);
        }
        for (; t < count; t++) {
            for (int j = 0; j < 4; j++) {
                dotHalfRows(a, ao + j * aStride, b, bo + t * n, n, 1, out, oo + j * outStride + t);
            }
        }
    }

    /** Horizontal sum of a dot product's lanes plus its scalar tail [vn, n), as {@link #dotHalfRows} ends one. */
    private static float finish(FloatVector c, float[] a, int ao, short[] b, int r, int vn, int n) {
        float s = c.reduceLanes(VectorOperators.ADD);
        for (int i = vn; i < n; i++) {
            s += a[ao + i] * Fp16.toFloat(b[r + i]);
        }
        return s;
    }

    /**
     * Four weight vectors over the same rows: per block of positions, 16 output floats of each of the four outputs
     * in eight accumulators; each converted value vector feeds four FMAs. Every output element sums its positions
     * in the same order as {@link #weightedSumHalf}, so the results are bit-identical to four one-query calls.
     */
    static void weightedSumHalf4(float[] p, int po, int pStride, short[] b, int bo, int n, int count, float[] y,
                                 int yo, int yStride) {
        int p1 = po + pStride;
        int p2 = p1 + pStride;
        int p3 = p2 + pStride;
        int y1 = yo + yStride;
        int y2 = y1 + yStride;
        int y3 = y2 + yStride;
        Arrays.fill(y, yo, yo + n, 0f);
        Arrays.fill(y, y1, y1 + n, 0f);
        Arrays.fill(y, y2, y2 + n, 0f);
        Arrays.fill(y, y3, y3 + n, 0f);
        for (int t0 = 0; t0 < count; t0 += POSITION_BLOCK) {
            int t1 = Math.min(count, t0 + POSITION_BLOCK);
            int c = 0;
            for (; c + 2 * L <= n; c += 2 * L) {
                FloatVector s00 = FloatVector.fromArray(F, y, yo + c);
                FloatVector s01 = FloatVector.fromArray(F, y, yo + c + L);
                FloatVector s10 = FloatVector.fromArray(F, y, y1 + c);
                FloatVector s11 = FloatVector.fromArray(F, y, y1 + c + L);
                FloatVector s20 = FloatVector.fromArray(F, y, y2 + c);
                FloatVector s21 = FloatVector.fromArray(F, y, y2 + c + L);
                FloatVector s30 = FloatVector.fromArray(F, y, y3 + c);
                FloatVector s31 = FloatVector.fromArray(F, y, y3 + c + L);
                int r = bo + t0 * n + c;
                for (int t = t0; t < t1; t++, r += n) {
                    FloatVector v0 = loadHalf(b, r);
                    FloatVector v1 = loadHalf(b, r + L);
                    FloatVector w = FloatVector.broadcast(F, p[po + t]);
                    s00 = v0.fma(w, s00);
                    s01 = v1.fma(w, s01);
                    w = FloatVector.broadcast(F, p[p1 + t]);
                    s10 = v0.fma(w, s10);
                    s11 = v1.fma(w, s11);
                    w = FloatVector.broadcast(F, p[p2 + t]);
                    s20 = v0.fma(w, s20);
                    s21 = v1.fma(w, s21);
                    w = FloatVector.broadcast(F, p[p3 + t]);
                    s30 = v0.fma(w, s30);
                    s31 = v1.fma(w, s31);
                }
                s00.intoArray(y, yo + c);
                s01.intoArray(y, yo + c + L);
                s10.intoArray(y, y1 + c);
                s11.intoArray(y, y1 + c + L);
                s20.intoArray(y, y2 + c);
                s21.intoArray(y, y2 + c + L);
                s30.intoArray(y, y3 + c);
                s31.intoArray(y, y3 + c + L);
            }
            for (int j = 0; j < 4; j++) {
                accumulateColumns(p, po + j * pStride, b, bo, n, t0, t1, c, y, yo + j * yStride);
            }
        }
    }

    /** y[yo + i] += sum over positions [t0, t1) for columns i in [c, n): the vector and scalar column tails. */
    private static void accumulateColumns(float[] p, int po, short[] b, int bo, int n, int t0, int t1, int c,
                                          float[] y, int yo) {
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

    static double expShifted(float[] s, int from, int n, float shift) {
        FloatVector sum = FloatVector.zero(F);
        FloatVector sh = FloatVector.broadcast(F, shift);
        int i = from;
        int end = from + n;
        for (; i + L <= end; i += L) {
            FloatVector e = FloatVector.fromArray(F, s, i).sub(sh).lanewise(VectorOperators.EXP);
            e.intoArray(s, i);
            sum = sum.add(e);
        }
        double total = sum.reduceLanes(VectorOperators.ADD);
        for (; i < end; i++) {
            float e = (float) Math.exp(s[i] - shift);
            s[i] = e;
            total += e;
        }
        return total;
    }
}
