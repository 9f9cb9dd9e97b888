package io.yinghuo.model.engine.cpu.vector;

import io.yinghuo.model.checkpoint.DType;
import io.yinghuo.model.engine.cpu.ActivationMode;
import io.yinghuo.model.engine.cpu.CpuKernels;
import io.yinghuo.model.engine.cpu.DenseRows;
import io.yinghuo.model.engine.cpu.GptqInput;
import io.yinghuo.model.engine.cpu.Int8Activations;
import io.yinghuo.model.engine.cpu.Int8Rows;
import io.yinghuo.model.engine.cpu.KernelScratch;
import io.yinghuo.model.engine.cpu.PackedGptq;
import io.yinghuo.model.util.Fp16;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

import static io.yinghuo.model.engine.cpu.PackedGptq.TILE;

/**
 * Vector API kernels (jdk.incubator.vector). This is the only package that links against the incubator module;
 * {@code KernelsProvider} loads it by name, so the rest of the backend runs without the module.
 *
 * <p>GPTQ decode trick: instead of shifting every code down, code s of a word is isolated with the mask
 * {@code (2^bits - 1) << bits*s}, converted as the integer q * 2^(bits*s) (exact in float), and multiplied by an
 * activation pre-scaled by 2^(-bits*s) in {@link #gptqGather} (exact too): one AND, one convert and one FMA per
 * code and vector lane. The top code of a word is taken with a logical shift instead, since its mask would set the
 * sign bit. Only fromArray/intoArray and lane-wise operations are used, which exist unchanged in every JDK that has
 * the incubator module (ByteBuffer and MemorySegment loads changed between releases).
 */
public final class VectorKernels implements CpuKernels {
    /**
     * Vector width of these kernels: 256 bits by default even where the CPU has 512-bit registers, so that every
     * kernel of the engine (the int8 decode kernel in {@link VectorInt8Gemv} is 256-bit by its packed layout) uses
     * one vector class per element type. The Vector API's lane-wise methods are shared Java code whose type profiles
     * HotSpot's C2 reads when it inlines them; with two shapes in one process, code compiled for one shape traps on
     * the other ("class_check" deoptimizations), C2 adds up those traps across every inlined copy of a shared method,
     * and past {@code -XX:PerMethodTrapLimit} (100) it stops inlining the remaining calls of the kernel being
     * compiled: they become real calls on boxed vectors. Measured on an AVX-512 CPU (BENCHMARKS.md, "One vector
     * width"): 512-token prefill 45-61 tok/s at 512 bits against 73 at 256, and decode after such a prompt
     * 4-16 tok/s depending on which kernels C2 compiled first. {@code -Dyinghuo.vector.bits=512} restores the wide
     * kernels for comparison.
     */
    private static final int BITS = Math.min(Integer.getInteger("yinghuo.vector.bits", 256),
            FloatVector.SPECIES_PREFERRED.vectorBitSize());
    static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(BITS));
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, VectorShape.forBitSize(BITS));
    private static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(BITS / 2));
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(BITS / 4));
    private static final int L = F.length();

    private final ActivationMode activations;

    /** Kernels with the default activations ({@link ActivationMode#INT8X2}). */
    public VectorKernels() {
        this(ActivationMode.INT8X2);
    }

    public VectorKernels(ActivationMode activations) {
        if (L < 4 || TILE % L != 0 || Int8Rows.GROUP % L != 0) {
            throw new UnsupportedOperationException("vector width " + BITS + " bits does not suit the kernels");
        }
        // below 256-bit vectors the integer kernel would run the Vector API's Java fallback: float activations
        this.activations = VectorInt8Gemv.fits() ? activations : ActivationMode.FLOAT;
    }

    @Override
    public ActivationMode activations() {
        return activations;
    }

    private boolean integer(PackedGptq w) {
        return activations.integer() && w.bits() == 4;
    }

    /** Lanes per float vector (4, 8 or 16). */
    public static int lanes() {
        return L;
    }

    @Override
    public String name() {
        return "vector " + BITS + "-bit " + activations.name().toLowerCase(java.util.Locale.ROOT);
    }

    // ---- fp16 / bf16 to float in registers

    /** fp16 bits, sign-extended to int lanes, to float: exponent rebias by multiplying with 2^112. */
    private static FloatVector halfToFloat(IntVector signExtended) {
        // bit 31 keeps the sign, bits 27..13 take exponent and mantissa; subnormals come out right through the
        // multiply. (Inf/NaN become large finite numbers; weights and caches never hold them.)
        return signExtended.lanewise(VectorOperators.LSHL, 13).lanewise(VectorOperators.AND, 0x8FFFE000)
                .reinterpretAsFloats().mul(0x1p112f);
    }

    static FloatVector loadHalf(short[] a, int i) {
        return halfToFloat((IntVector) ShortVector.fromArray(S, a, i).convertShape(VectorOperators.S2I, I, 0));
    }

    private static FloatVector loadBf16(short[] a, int i) {
        return ((IntVector) ShortVector.fromArray(S, a, i).convertShape(VectorOperators.S2I, I, 0))
                .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /** Scale (low 16 bits, fp16) of packed header words. */
    static FloatVector headerScale(IntVector header) {
        return header.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3)
                .lanewise(VectorOperators.AND, 0x8FFFE000).reinterpretAsFloats().mul(0x1p112f);
    }

    /** Zero point (high 16 bits) of packed header words. */
    static FloatVector headerZero(IntVector header) {
        return toFloat(header.lanewise(VectorOperators.LSHR, 16));
    }

    /**
     * Int lanes to float, through convertShape with the constant species F: convert(I2F, 0) derives its target
     * species at run time, which JDK 17's C2 does not always fold to a constant ("missing constant ... vlen_to"
     * under -XX:+PrintIntrinsics); the call then runs the boxing Java fallback.
     */
    private static FloatVector toFloat(IntVector v) {
        return (FloatVector) v.convertShape(VectorOperators.I2F, F, 0);
    }

    // ---- GPTQ

    @Override
    public void gptqGather(PackedGptq w, float[] x, int xOff, GptqInput in, int row) {
        if (integer(w)) {
            Int8Activations.gather(w, x, xOff, in, row, activations == ActivationMode.INT8X2);
            return;
        }
        int[] perm = w.perm();
        int bits = w.bits();
        int per = w.codesPerWord();
        float[] xg = in.values;
        int kp = w.paddedRows();
        for (int g = 0; g < w.groups(); g++) {
            int r = w.groupFirstRow(g);
            int end = r + w.groupWords(g) * per;
            float sum = 0f;
            for (; r < end; r++) {
                float v = perm[r] < 0 ? 0f : x[xOff + perm[r]];
                sum += v;
                int s = r % per; // groups start on word boundaries
                // exact power-of-two pre-scale matching the masked (not shifted) code, see class comment
                xg[row * kp + r] = s == per - 1 ? v : v * Float.intBitsToFloat((127 - bits * s) << 23);
            }
            in.groupSums[row * w.groups() + g] = sum;
        }
    }

    @Override
    public void gptqGemv(PackedGptq w, GptqInput in, int row, float[] y, int yOff, int t0, int t1) {
        if (activations == ActivationMode.INT8X2 && w.bits() == 4) {
            VectorInt8Gemv.gemvWithResiduals(w, in, row, y, yOff, t0, t1);
            return;
        }
        if (integer(w)) {
            VectorInt8Gemv.gemv(w, in, row, y, yOff, t0, t1);
            return;
        }
        float[] xg = in.values;
        int xOff = row * w.paddedRows();
        float[] gs = in.groupSums;
        int sOff = row * w.groups();
        switch (w.bits()) {
            case 4 -> gemv4(w, xg, xOff, gs, sOff, y, yOff, t0, t1);
            case 8 -> gemv8(w, xg, xOff, gs, sOff, y, yOff, t0, t1);
            default -> gemvAnyBits(w, xg, xOff, gs, sOff, y, yOff, t0, t1);
        }
    }

    private static void gemv4(PackedGptq w, float[] xg, int xOff, float[] gs, int sOff, float[] y, int yOff,
                                    int t0, int t1) {
        int[] data = w.data();
        int n = w.outFeatures();
        int groups = w.groups();
        int stride = w.tileStride();
        for (int t = t0; t < t1; t++) {
            for (int sub = 0; sub < TILE; sub += L) {
                FloatVector out = FloatVector.zero(F);
                for (int g = 0; g < groups; g++) {
                    int base = t * stride + w.groupOffset(g);
                    // header first, see GEMV_INLINING
                    IntVector header = IntVector.fromArray(I, data, base + sub);
                    FloatVector scale = headerScale(header);
                    FloatVector zeroSum = headerZero(header).mul(gs[sOff + g]);
                    FloatVector a0 = FloatVector.zero(F);
                    FloatVector a1 = FloatVector.zero(F);
                    FloatVector a2 = FloatVector.zero(F);
                    FloatVector a3 = FloatVector.zero(F);
                    int p = base + TILE + sub;
                    int r = xOff + w.groupFirstRow(g);
                    for (int wr = w.groupWords(g); wr > 0; wr--, p += TILE, r += 8) {
                        IntVector q = IntVector.fromArray(I, data, p);
                        a0 = toFloat(q.lanewise(VectorOperators.AND, 0xF)).fma(FloatVector.broadcast(F, xg[r]), a0);
                        a1 = toFloat(q.lanewise(VectorOperators.AND, 0xF0)).fma(FloatVector.broadcast(F, xg[r + 1]), a1);
                        a2 = toFloat(q.lanewise(VectorOperators.AND, 0xF00)).fma(FloatVector.broadcast(F, xg[r + 2]), a2);
                        a3 = toFloat(q.lanewise(VectorOperators.AND, 0xF000)).fma(FloatVector.broadcast(F, xg[r + 3]), a3);
                        a0 = toFloat(q.lanewise(VectorOperators.AND, 0xF0000)).fma(FloatVector.broadcast(F, xg[r + 4]), a0);
                        a1 = toFloat(q.lanewise(VectorOperators.AND, 0xF00000)).fma(FloatVector.broadcast(F, xg[r + 5]), a1);
                        a2 = toFloat(q.lanewise(VectorOperators.AND, 0xF000000)).fma(FloatVector.broadcast(F, xg[r + 6]), a2);
                        a3 = toFloat(q.lanewise(VectorOperators.LSHR, 28)).fma(FloatVector.broadcast(F, xg[r + 7]), a3);
                    }
                    FloatVector sum = a0.add(a1).add(a2.add(a3));
                    out = sum.sub(zeroSum).fma(scale, out);
                }
                int col = t * TILE + sub;
                if (col + L <= n) {
                    out.intoArray(y, yOff + col);
                } else if (col < n) {
                    out.intoArray(y, yOff + col, F.indexInRange(col, n));
                }
            }
        }
    }

    // CPD-OFF: gemv8 is gemv4 with 4 instead of 8 values per word, on purpose: each width needs its own straight-line
    // inner loop with constant masks so that C2 unrolls it and keeps the accumulators in registers; a shared loop over
    // a bits parameter (variable shifts and masks) is gemvAnyBits, the generic path for the other widths.
    private static void gemv8(PackedGptq w, float[] xg, int xOff, float[] gs, int sOff, float[] y, int yOff,
                                    int t0, int t1) {
        int[] data = w.data();
        int n = w.outFeatures();
        int groups = w.groups();
        int stride = w.tileStride();
        for (int t = t0; t < t1; t++) {
            for (int sub = 0; sub < TILE; sub += L) {
                FloatVector out = FloatVector.zero(F);
                for (int g = 0; g < groups; g++) {
                    int base = t * stride + w.groupOffset(g);
                    // header first, see GEMV_INLINING
                    IntVector header = IntVector.fromArray(I, data, base + sub);
                    FloatVector scale = headerScale(header);
                    FloatVector zeroSum = headerZero(header).mul(gs[sOff + g]);
                    FloatVector a0 = FloatVector.zero(F);
                    FloatVector a1 = FloatVector.zero(F);
                    FloatVector a2 = FloatVector.zero(F);
                    FloatVector a3 = FloatVector.zero(F);
                    int p = base + TILE + sub;
                    int r = xOff + w.groupFirstRow(g);
                    for (int wr = w.groupWords(g); wr > 0; wr--, p += TILE, r += 4) {
                        IntVector q = IntVector.fromArray(I, data, p);
                        a0 = toFloat(q.lanewise(VectorOperators.AND, 0xFF)).fma(FloatVector.broadcast(F, xg[r]), a0);
                        a1 = toFloat(q.lanewise(VectorOperators.AND, 0xFF00)).fma(FloatVector.broadcast(F, xg[r + 1]), a1);
                        a2 = toFloat(q.lanewise(VectorOperators.AND, 0xFF0000)).fma(FloatVector.broadcast(F, xg[r + 2]), a2);
                        a3 = toFloat(q.lanewise(VectorOperators.LSHR, 24)).fma(FloatVector.broadcast(F, xg[r + 3]), a3);
                    }
                    FloatVector sum = a0.add(a1).add(a2.add(a3));
                    out = sum.sub(zeroSum).fma(scale, out);
                }
                int col = t * TILE + sub;
                if (col + L <= n) {
                    out.intoArray(y, yOff + col);
                } else if (col < n) {
                    out.intoArray(y, yOff + col, F.indexInRange(col, n));
                }
            }
        }
    }

    // CPD-ON

    private static void gemvAnyBits(PackedGptq w, float[] xg, int xOff, float[] gs, int sOff, float[] y, int yOff,
                                    int t0, int t1) {
        int[] data = w.data();
        int n = w.outFeatures();
        int bits = w.bits();
        int per = w.codesPerWord();
        int mask = (1 << bits) - 1;
        int stride = w.tileStride();
        for (int t = t0; t < t1; t++) {
            for (int sub = 0; sub < TILE; sub += L) {
                FloatVector out = FloatVector.zero(F);
                for (int g = 0; g < w.groups(); g++) {
                    int base = t * stride + w.groupOffset(g);
                    // header first, see GEMV_INLINING
                    IntVector header = IntVector.fromArray(I, data, base + sub);
                    FloatVector scale = headerScale(header);
                    FloatVector zeroSum = headerZero(header).mul(gs[sOff + g]);
                    FloatVector a0 = FloatVector.zero(F);
                    FloatVector a1 = FloatVector.zero(F);
                    int p = base + TILE + sub;
                    int r = xOff + w.groupFirstRow(g);
                    for (int wr = w.groupWords(g); wr > 0; wr--, p += TILE, r += per) {
                        IntVector q = IntVector.fromArray(I, data, p);
                        for (int s = 0; s < per - 1; s += 2) {
                            a0 = toFloat(q.lanewise(VectorOperators.AND, mask << (bits * s))).fma(FloatVector.broadcast(F, xg[r + s]), a0);
                            IntVector hi = s + 1 == per - 1
                                    ? q.lanewise(VectorOperators.LSHR, bits * (s + 1))
                                    : q.lanewise(VectorOperators.AND, mask << (bits * (s + 1)));
                            a1 = toFloat(hi).fma(FloatVector.broadcast(F, xg[r + s + 1]), a1);
                        }
                    }
                    FloatVector sum = a0.add(a1);
                    out = sum.sub(zeroSum).fma(scale, out);
                }
                int col = t * TILE + sub;
                if (col + L <= n) {
                    out.intoArray(y, yOff + col);
                } else if (col < n) {
                    out.intoArray(y, yOff + col, F.indexInRange(col, n));
                }
            }
        }
    }

    /** 4-bit: each word unpacked once for four rows ({@link VectorRowsGemv}); other widths row by row. */
    @Override
    public void gptqGemvRows(PackedGptq w, GptqInput in, int rows, float[] y, int t0, int t1,
                             KernelScratch scratch) {
        if (activations == ActivationMode.INT8X2 && w.bits() == 4) {
            // tile by tile, so that a tile's words are read from memory once and from cache for the other rows
            int n = w.outFeatures();
            for (int t = t0; t < t1; t++) {
                int m = 0;
                for (; m + 2 <= rows; m += 2) {
                    VectorInt8Gemv.gemvWithResiduals2(w, in, m, y, m * n, t, t + 1);
                }
                if (m < rows) {
                    VectorInt8Gemv.gemvWithResiduals(w, in, m, y, m * n, t, t + 1);
                }
            }
        } else if (integer(w)) {
            CpuKernels.super.gptqGemvRows(w, in, rows, y, t0, t1, scratch);
        } else if (w.bits() == 4) {
            VectorRowsGemv.gemv4Rows(w, in.values, in.groupSums, rows, y, t0, t1);
        } else {
            CpuKernels.super.gptqGemvRows(w, in, rows, y, t0, t1, scratch);
        }
    }

    /*
     * GEMV_INLINING: the unrolled inner loops of the gemv kernels inline so many nodes that C2 stops inlining this
     * class's own helpers after them (NodeCountInliningCutoff; the JDK's @ForceInline vector methods are exempt).
     * A helper left as a call boxes every vector it takes or returns and runs the non-intrinsic Java fallback: that
     * cost ~1.6 MB of garbage per 4096x4096 product (hundreds of MB per decoded token on 7B, growing the heap) and
     * speed. So header-derived vectors are computed before the loop, and outputs are stored with the API directly.
     */

    @Override
    public void gptqGemm(PackedGptq w, float[] xg, int rows, float[] y, int t0, int t1, KernelScratch scratch) {
        int[] data = w.data();
        int n = w.outFeatures();
        int bits = w.bits();
        int per = w.codesPerWord();
        int mask = (1 << bits) - 1;
        int kp = w.paddedRows();
        int stride = w.tileStride();
        float[] tile = scratch.tile;
        float[] partial = scratch.partial;
        int chunkWords = GEMM_CHUNK_ROWS / per;
        for (int t = t0; t < t1; t++) {
            Arrays.fill(partial, 0, rows * TILE, 0f);
            for (int g = 0; g < w.groups(); g++) {
                int base = t * stride + w.groupOffset(g);
                for (int w0 = 0; w0 < w.groupWords(g); w0 += chunkWords) {
                    int words = Math.min(chunkWords, w.groupWords(g) - w0);
                    for (int sub = 0; sub < TILE; sub += L) {
                        IntVector header = IntVector.fromArray(I, data, base + sub);
                        FloatVector scale = headerScale(header);
                        FloatVector zero = headerZero(header);
                        int p = base + TILE + w0 * TILE + sub;
                        for (int wr = 0; wr < words; wr++, p += TILE) {
                            IntVector q = IntVector.fromArray(I, data, p);
                            int to = wr * per * TILE + sub;
                            for (int s = 0; s < per; s++, to += TILE) {
                                FloatVector code = toFloat(q.lanewise(VectorOperators.LSHR, bits * s)
                                        .lanewise(VectorOperators.AND, mask));
                                code.sub(zero).mul(scale).intoArray(tile, to);
                            }
                        }
                    }
                    int row0 = w.groupFirstRow(g) + w0 * per;
                    multiplyChunk(tile, words * per, xg, kp, row0, rows, partial);
                }
            }
            int cols = Math.min(TILE, n - t * TILE);
            for (int m = 0; m < rows; m++) {
                System.arraycopy(partial, m * TILE, y, m * n + t * TILE, cols);
            }
        }
    }

    /**
     * partial[m, 0..TILE) += sum_r x[m, row0 + r] * tile[r, 0..TILE), six batch rows at a time over the whole tile
     * on 256-bit vectors ({@link #multiply6x2}), then eight, four and one rows per half: each tile vector loaded
     * from L1 feeds eight independent FMA chains, enough to cover the FMA latency
     * (4 cycles at 1-2 per cycle) without the loads and broadcasts becoming the bottleneck. A k-major activation
     * layout (the eight broadcast values in one cache line, stride {@code rows} between steps) was tried and showed
     * no gain on 512-token prefill (same CPU seconds per run, BENCHMARKS.md), so the simpler row-major one stays.
     */
    private static void multiplyChunk(float[] tile, int len, float[] xg, int kp, int row0, int rows,
                                      float[] partial) {
        int first = 0;
        if (TILE == 2 * L) {
            for (; first + 6 <= rows; first += 6) {
                multiply6x2(tile, len, xg, kp, first * kp + row0, partial, first * TILE);
            }
        }
        for (int sub = 0; sub < TILE; sub += L) {
            int m = first;
            for (; m + 8 <= rows; m += 8) {
                multiply8(tile, len, xg, kp, m * kp + row0, partial, m * TILE + sub, sub);
            }
            for (; m + 4 <= rows; m += 4) {
                int x0 = m * kp + row0;
                int x1 = x0 + kp;
                int x2 = x1 + kp;
                int x3 = x2 + kp;
                FloatVector c0 = FloatVector.fromArray(F, partial, m * TILE + sub);
                FloatVector c1 = FloatVector.fromArray(F, partial, (m + 1) * TILE + sub);
                FloatVector c2 = FloatVector.fromArray(F, partial, (m + 2) * TILE + sub);
                FloatVector c3 = FloatVector.fromArray(F, partial, (m + 3) * TILE + sub);
                for (int r = 0, to = sub; r < len; r++, to += TILE) {
                    FloatVector wv = FloatVector.fromArray(F, tile, to);
                    c0 = wv.fma(FloatVector.broadcast(F, xg[x0 + r]), c0);
                    c1 = wv.fma(FloatVector.broadcast(F, xg[x1 + r]), c1);
                    c2 = wv.fma(FloatVector.broadcast(F, xg[x2 + r]), c2);
                    c3 = wv.fma(FloatVector.broadcast(F, xg[x3 + r]), c3);
                }
                c0.intoArray(partial, m * TILE + sub);
                c1.intoArray(partial, (m + 1) * TILE + sub);
                c2.intoArray(partial, (m + 2) * TILE + sub);
                c3.intoArray(partial, (m + 3) * TILE + sub);
            }
            for (; m < rows; m++) {
                int x0 = m * kp + row0;
                FloatVector c0 = FloatVector.fromArray(F, partial, m * TILE + sub);
                for (int r = 0, to = sub; r < len; r++, to += TILE) {
                    c0 = FloatVector.fromArray(F, tile, to).fma(FloatVector.broadcast(F, xg[x0 + r]), c0);
                }
                c0.intoArray(partial, m * TILE + sub);
            }
        }
    }

    /**
     * multiplyChunk's block for 256-bit vectors (a tile is two vectors): six batch rows x both halves of the tile,
     * twelve accumulators, so each broadcast activation feeds two FMAs and each pair of tile loads twelve (the
     * eight-row block on one half feeds one FMA per broadcast). Each row still sums over r in order, as every block
     * does, so a row's result does not depend on the rows batched with it.
     */
    private static void multiply6x2(float[] tile, int len, float[] xg, int kp, int x0, float[] partial, int p0) {
        FloatVector a0 = FloatVector.fromArray(F, partial, p0);
        FloatVector b0 = FloatVector.fromArray(F, partial, p0 + L);
        FloatVector a1 = FloatVector.fromArray(F, partial, p0 + TILE);
        FloatVector b1 = FloatVector.fromArray(F, partial, p0 + TILE + L);
        FloatVector a2 = FloatVector.fromArray(F, partial, p0 + 2 * TILE);
        FloatVector b2 = FloatVector.fromArray(F, partial, p0 + 2 * TILE + L);
        FloatVector a3 = FloatVector.fromArray(F, partial, p0 + 3 * TILE);
        FloatVector b3 = FloatVector.fromArray(F, partial, p0 + 3 * TILE + L);
        FloatVector a4 = FloatVector.fromArray(F, partial, p0 + 4 * TILE);
        FloatVector b4 = FloatVector.fromArray(F, partial, p0 + 4 * TILE + L);
        FloatVector a5 = FloatVector.fromArray(F, partial, p0 + 5 * TILE);
        FloatVector b5 = FloatVector.fromArray(F, partial, p0 + 5 * TILE + L);
        for (int r = 0, to = 0; r < len; r++, to += TILE) {
            FloatVector w0 = FloatVector.fromArray(F, tile, to);
            FloatVector w1 = FloatVector.fromArray(F, tile, to + L);
            int x = x0 + r;
            FloatVector v = FloatVector.broadcast(F, xg[x]);
            a0 = w0.fma(v, a0);
            b0 = w1.fma(v, b0);
            v = FloatVector.broadcast(F, xg[x + kp]);
            a1 = w0.fma(v, a1);
            b1 = w1.fma(v, b1);
            v = FloatVector.broadcast(F, xg[x + 2 * kp]);
            a2 = w0.fma(v, a2);
            b2 = w1.fma(v, b2);
            v = FloatVector.broadcast(F, xg[x + 3 * kp]);
            a3 = w0.fma(v, a3);
            b3 = w1.fma(v, b3);
            v = FloatVector.broadcast(F, xg[x + 4 * kp]);
            a4 = w0.fma(v, a4);
            b4 = w1.fma(v, b4);
            v = FloatVector.broadcast(F, xg[x + 5 * kp]);
            a5 = w0.fma(v, a5);
            b5 = w1.fma(v, b5);
        }
        a0.intoArray(partial, p0);
        b0.intoArray(partial, p0 + L);
        a1.intoArray(partial, p0 + TILE);
        b1.intoArray(partial, p0 + TILE + L);
        a2.intoArray(partial, p0 + 2 * TILE);
        b2.intoArray(partial, p0 + 2 * TILE + L);
        a3.intoArray(partial, p0 + 3 * TILE);
        b3.intoArray(partial, p0 + 3 * TILE + L);
        a4.intoArray(partial, p0 + 4 * TILE);
        b4.intoArray(partial, p0 + 4 * TILE + L);
        a5.intoArray(partial, p0 + 5 * TILE);
        b5.intoArray(partial, p0 + 5 * TILE + L);
    }

    /** multiplyChunk's eight-row block: batch rows x0/kp .. x0/kp + 7, partial rows from p0 on. */
    private static void multiply8(float[] tile, int len, float[] xg, int kp, int x0, float[] partial, int p0,
                                  int sub) {
        FloatVector c0 = FloatVector.fromArray(F, partial, p0);
        FloatVector c1 = FloatVector.fromArray(F, partial, p0 + TILE);
        FloatVector c2 = FloatVector.fromArray(F, partial, p0 + 2 * TILE);
        FloatVector c3 = FloatVector.fromArray(F, partial, p0 + 3 * TILE);
        FloatVector c4 = FloatVector.fromArray(F, partial, p0 + 4 * TILE);
        FloatVector c5 = FloatVector.fromArray(F, partial, p0 + 5 * TILE);
        FloatVector c6 = FloatVector.fromArray(F, partial, p0 + 6 * TILE);
        FloatVector c7 = FloatVector.fromArray(F, partial, p0 + 7 * TILE);
        for (int r = 0, to = sub; r < len; r++, to += TILE) {
            FloatVector wv = FloatVector.fromArray(F, tile, to);
            int x = x0 + r;
            c0 = wv.fma(FloatVector.broadcast(F, xg[x]), c0);
            c1 = wv.fma(FloatVector.broadcast(F, xg[x + kp]), c1);
            c2 = wv.fma(FloatVector.broadcast(F, xg[x + 2 * kp]), c2);
            c3 = wv.fma(FloatVector.broadcast(F, xg[x + 3 * kp]), c3);
            c4 = wv.fma(FloatVector.broadcast(F, xg[x + 4 * kp]), c4);
            c5 = wv.fma(FloatVector.broadcast(F, xg[x + 5 * kp]), c5);
            c6 = wv.fma(FloatVector.broadcast(F, xg[x + 6 * kp]), c6);
            c7 = wv.fma(FloatVector.broadcast(F, xg[x + 7 * kp]), c7);
        }
        c0.intoArray(partial, p0);
        c1.intoArray(partial, p0 + TILE);
        c2.intoArray(partial, p0 + 2 * TILE);
        c3.intoArray(partial, p0 + 3 * TILE);
        c4.intoArray(partial, p0 + 4 * TILE);
        c5.intoArray(partial, p0 + 5 * TILE);
        c6.intoArray(partial, p0 + 6 * TILE);
        c7.intoArray(partial, p0 + 7 * TILE);
    }

    // ---- dense [N, K] matrices

    @Override
    public void denseGemv(DenseRows w, float[] x, float[] y, int r0, int r1, KernelScratch scratch) {
        int k = w.cols();
        if (w.dtype() == DType.F32) {
            for (int r = r0; r < r1; r++) {
                w.copyRow(r, scratch.floats, 0);
                y[r] = dot(x, 0, scratch.floats, 0, k);
            }
            return;
        }
        boolean bf16 = w.dtype() == DType.BF16;
        short[] raw = scratch.halves;
        int r = r0;
        for (; r + 4 <= r1; r += 4) {
            dot4Rows(w, r, x, y, raw, bf16);
        }
        for (; r < r1; r++) {
            w.copyRow(r, raw, 0);
            if (bf16) {
                y[r] = dotBf16(x, 0, raw, 0, k);
            } else {
                VectorAttention.dotHalfRows(x, 0, raw, 0, k, 1, y, r);
            }
        }
    }

    /** y[r..r+3] = dot(x, rows r..r+3): one pass over x, four independent accumulators. */
    private static void dot4Rows(DenseRows w, int r, float[] x, float[] y, short[] raw, boolean bf16) {
        int k = w.cols();
        for (int j = 0; j < 4; j++) {
            w.copyRow(r + j, raw, j * k);
        }
        FloatVector c0 = FloatVector.zero(F);
        FloatVector c1 = FloatVector.zero(F);
        FloatVector c2 = FloatVector.zero(F);
        FloatVector c3 = FloatVector.zero(F);
        int i = 0;
        int bound = F.loopBound(k);
        for (; i < bound; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, i);
            c0 = (bf16 ? loadBf16(raw, i) : loadHalf(raw, i)).fma(xv, c0);
            c1 = (bf16 ? loadBf16(raw, k + i) : loadHalf(raw, k + i)).fma(xv, c1);
            c2 = (bf16 ? loadBf16(raw, 2 * k + i) : loadHalf(raw, 2 * k + i)).fma(xv, c2);
            c3 = (bf16 ? loadBf16(raw, 3 * k + i) : loadHalf(raw, 3 * k + i)).fma(xv, c3);
        }
        float s0 = c0.reduceLanes(VectorOperators.ADD);
        float s1 = c1.reduceLanes(VectorOperators.ADD);
        float s2 = c2.reduceLanes(VectorOperators.ADD);
        float s3 = c3.reduceLanes(VectorOperators.ADD);
        for (; i < k; i++) {
            s0 += x[i] * widen(raw[i], bf16);
            s1 += x[i] * widen(raw[k + i], bf16);
            s2 += x[i] * widen(raw[2 * k + i], bf16);
            s3 += x[i] * widen(raw[3 * k + i], bf16);
        }
        y[r] = s0;
        y[r + 1] = s1;
        y[r + 2] = s2;
        y[r + 3] = s3;
    }

    private static float widen(short h, boolean bf16) {
        return bf16 ? Fp16.bf16ToFloat(h) : Fp16.toFloat(h);
    }

    private float dotBf16(float[] a, int ao, short[] b, int bo, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        int bound = F.loopBound(n);
        for (; i < bound; i += L) {
            acc = loadBf16(b, bo + i).fma(FloatVector.fromArray(F, a, ao + i), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += a[ao + i] * Fp16.bf16ToFloat(b[bo + i]);
        }
        return s;
    }

    @Override
    public void denseGemm(DenseRows w, float[] x, int rows, float[] y, int r0, int r1, KernelScratch scratch) {
        int k = w.cols();
        int n = w.rows();
        float[] conv = scratch.floats;
        int r = r0;
        while (r < r1) {
            int block = Math.min(4, r1 - r);
            for (int j = 0; j < block; j++) {
                convertRow(w, r + j, conv, j * k, scratch.halves);
            }
            multiplyConverted(x, rows, k, n, conv, block, y, r);
            r += block;
        }
    }

    /** y[m, r + j] = dot(x[m], conv row j) for m < rows and j < block (at most 4 rows converted to floats). */
    private void multiplyConverted(float[] x, int rows, int k, int n, float[] conv, int block, float[] y, int r) {
        if (block == 4) {
            int m = 0;
            for (; m + 3 <= rows; m += 3) {
                dot4x3(x, m * k, conv, k, y, m * n + r, n);
            }
            for (; m < rows; m++) {
                dot4(x, m * k, conv, k, y, m * n + r);
            }
        } else {
            for (int j = 0; j < block; j++) {
                for (int m = 0; m < rows; m++) {
                    y[m * n + r + j] = dot(x, m * k, conv, j * k, k);
                }
            }
        }
    }

    private static void convertRow(DenseRows w, int row, float[] dst, int at, short[] raw) {
        int k = w.cols();
        if (w.dtype() == DType.F32) {
            w.copyRow(row, dst, at);
            return;
        }
        boolean bf16 = w.dtype() == DType.BF16;
        w.copyRow(row, raw, 0);
        int i = 0;
        int bound = F.loopBound(k);
        for (; i < bound; i += L) {
            (bf16 ? loadBf16(raw, i) : loadHalf(raw, i)).intoArray(dst, at + i);
        }
        for (; i < k; i++) {
            dst[at + i] = widen(raw[i], bf16);
        }
    }

    /**
     * {@link #dot4} for three activation rows at once (x rows at xo, xo + k, xo + 2k; outputs at yo, yo + n,
     * yo + 2n): twelve accumulators, so each loaded weight vector feeds three FMAs and each activation vector four.
     * {@link #dot4} loads four weight vectors and one activation vector per four FMAs; for a batch of decode rows
     * that re-reads the converted rows (64 KiB for K = 4096, beyond L1) once per activation row, which made the
     * batched lm_head load-bound. Each (row, output) pair is summed in the same order as {@link #dot4} sums it, so
     * the results are bit-identical.
     */
    private static void dot4x3(float[] x, int xo, float[] rows, int k, float[] y, int yo, int n) {
        FloatVector c00 = FloatVector.zero(F);
        FloatVector c01 = FloatVector.zero(F);
        FloatVector c02 = FloatVector.zero(F);
        FloatVector c03 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F);
        FloatVector c11 = FloatVector.zero(F);
        FloatVector c12 = FloatVector.zero(F);
        FloatVector c13 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F);
        FloatVector c21 = FloatVector.zero(F);
        FloatVector c22 = FloatVector.zero(F);
        FloatVector c23 = FloatVector.zero(F);
        int i = 0;
        int bound = F.loopBound(k);
        for (; i < bound; i += L) {
            FloatVector x0 = FloatVector.fromArray(F, x, xo + i);
            FloatVector x1 = FloatVector.fromArray(F, x, xo + k + i);
            FloatVector x2 = FloatVector.fromArray(F, x, xo + 2 * k + i);
            FloatVector w = FloatVector.fromArray(F, rows, i);
            c00 = w.fma(x0, c00);
            c10 = w.fma(x1, c10);
            c20 = w.fma(x2, c20);
            w = FloatVector.fromArray(F, rows, k + i);
            c01 = w.fma(x0, c01);
            c11 = w.fma(x1, c11);
            c21 = w.fma(x2, c21);
            w = FloatVector.fromArray(F, rows, 2 * k + i);
            c02 = w.fma(x0, c02);
            c12 = w.fma(x1, c12);
            c22 = w.fma(x2, c22);
            w = FloatVector.fromArray(F, rows, 3 * k + i);
            c03 = w.fma(x0, c03);
            c13 = w.fma(x1, c13);
            c23 = w.fma(x2, c23);
        }
        finishDot4(x, xo, rows, k, i, y, yo, c00.reduceLanes(VectorOperators.ADD), c01.reduceLanes(VectorOperators.ADD),
                c02.reduceLanes(VectorOperators.ADD), c03.reduceLanes(VectorOperators.ADD));
        finishDot4(x, xo + k, rows, k, i, y, yo + n, c10.reduceLanes(VectorOperators.ADD),
                c11.reduceLanes(VectorOperators.ADD), c12.reduceLanes(VectorOperators.ADD),
                c13.reduceLanes(VectorOperators.ADD));
        finishDot4(x, xo + 2 * k, rows, k, i, y, yo + 2 * n, c20.reduceLanes(VectorOperators.ADD),
                c21.reduceLanes(VectorOperators.ADD), c22.reduceLanes(VectorOperators.ADD),
                c23.reduceLanes(VectorOperators.ADD));
    }

    /** The scalar tail of a four-row dot product from column i on, added to the lane sums s0..s3, stored at y[yo..]. */
    private static void finishDot4(float[] x, int xo, float[] rows, int k, int i, float[] y, int yo,
                                   float s0, float s1, float s2, float s3) {
        for (; i < k; i++) {
            float xv = x[xo + i];
            s0 += xv * rows[i];
            s1 += xv * rows[k + i];
            s2 += xv * rows[2 * k + i];
            s3 += xv * rows[3 * k + i];
        }
        y[yo] = s0;
        y[yo + 1] = s1;
        y[yo + 2] = s2;
        y[yo + 3] = s3;
    }

    /** y[yo + j] = dot(x[xo..xo+k), rows[j*k..]) for j < 4. */
    private static void dot4(float[] x, int xo, float[] rows, int k, float[] y, int yo) {
        FloatVector c0 = FloatVector.zero(F);
        FloatVector c1 = FloatVector.zero(F);
        FloatVector c2 = FloatVector.zero(F);
        FloatVector c3 = FloatVector.zero(F);
        int i = 0;
        int bound = F.loopBound(k);
        for (; i < bound; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, xo + i);
            c0 = FloatVector.fromArray(F, rows, i).fma(xv, c0);
            c1 = FloatVector.fromArray(F, rows, k + i).fma(xv, c1);
            c2 = FloatVector.fromArray(F, rows, 2 * k + i).fma(xv, c2);
            c3 = FloatVector.fromArray(F, rows, 3 * k + i).fma(xv, c3);
        }
        finishDot4(x, xo, rows, k, i, y, yo, c0.reduceLanes(VectorOperators.ADD), c1.reduceLanes(VectorOperators.ADD),
                c2.reduceLanes(VectorOperators.ADD), c3.reduceLanes(VectorOperators.ADD));
    }

    // ---- small vectors (attention)

    @Override
    public float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * L <= n; i += 2 * L) {
            acc0 = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, bo + i), acc0);
            acc1 = FloatVector.fromArray(F, a, ao + i + L).fma(FloatVector.fromArray(F, b, bo + i + L), acc1);
        }
        for (; i + L <= n; i += L) {
            acc0 = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, bo + i), acc0);
        }
        float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += a[ao + i] * b[bo + i];
        }
        return s;
    }

    @Override
    public void dotHalfRows(float[] a, int ao, short[] b, int bo, int n, int count, float[] out, int oo) {
        VectorAttention.dotHalfRows(a, ao, b, bo, n, count, out, oo);
    }

    @Override
    public void weightedSumHalf(float[] p, int po, short[] b, int bo, int n, int count, float[] y, int yo) {
        VectorAttention.weightedSumHalf(p, po, b, bo, n, count, y, yo);
    }

    @Override
    public void dotHalfRows4(float[] a, int ao, int aStride, short[] b, int bo, int n, int count, float[] out, int oo,
                             int outStride) {
        VectorAttention.dotHalfRows4(a, ao, aStride, b, bo, n, count, out, oo, outStride);
    }

    @Override
    public void weightedSumHalf4(float[] p, int po, int pStride, short[] b, int bo, int n, int count, float[] y,
                                 int yo, int yStride) {
        VectorAttention.weightedSumHalf4(p, po, pStride, b, bo, n, count, y, yo, yStride);
    }

    @Override
    public double expShifted(float[] s, int from, int n, float shift) {
        return VectorAttention.expShifted(s, from, n, shift);
    }

    // ---- 8-bit rows (the quantized output head)

    @Override
    public void int8Gemv(Int8Rows w, float[] x, float[] y, int r0, int r1) {
        int8Gemv(w, x, 0, y, 0, r0, r1);
    }

    /** y[yo + r] = row r . x[xo .. xo + K) for r in [r0, r1). */
    private static void int8Gemv(Int8Rows w, float[] x, int xo, float[] y, int yo, int r0, int r1) {
        int r = r0;
        for (; r + 4 <= r1; r += 4) {
            int8Dot4(w, r, x, xo, y, yo + r);
        }
        for (; r < r1; r++) {
            y[yo + r] = int8Dot(w, r, x, xo);
        }
    }

    /**
     * y[yo + j] = row (r + j) . x for j < 4: x is loaded once for four rows; bytes are widened to float lanes in
     * registers (B2F), summed per group and the group's scale applied with one FMA per group.
     */
    private static void int8Dot4(Int8Rows w, int r, float[] x, int xo, float[] y, int yo) {
        int k = w.cols();
        byte[] q = w.codes();
        float[] sc = w.scales();
        int gpr = w.groupsPerRow();
        int b0 = r * k;
        int b1 = b0 + k;
        int b2 = b1 + k;
        int b3 = b2 + k;
        int s0 = r * gpr;
        FloatVector o0 = FloatVector.zero(F);
        FloatVector o1 = FloatVector.zero(F);
        FloatVector o2 = FloatVector.zero(F);
        FloatVector o3 = FloatVector.zero(F);
        float t0 = 0f;
        float t1 = 0f;
        float t2 = 0f;
        float t3 = 0f;
        for (int g = 0, c0 = 0; c0 < k; g++, c0 += Int8Rows.GROUP) {
            int c1 = Math.min(k, c0 + Int8Rows.GROUP);
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F);
            FloatVector a3 = FloatVector.zero(F);
            int c = c0;
            for (; c + L <= c1; c += L) {
                FloatVector xv = FloatVector.fromArray(F, x, xo + c);
                a0 = ((FloatVector) ByteVector.fromArray(B, q, b0 + c).convertShape(VectorOperators.B2F, F, 0)).fma(xv, a0);
                a1 = ((FloatVector) ByteVector.fromArray(B, q, b1 + c).convertShape(VectorOperators.B2F, F, 0)).fma(xv, a1);
                a2 = ((FloatVector) ByteVector.fromArray(B, q, b2 + c).convertShape(VectorOperators.B2F, F, 0)).fma(xv, a2);
                a3 = ((FloatVector) ByteVector.fromArray(B, q, b3 + c).convertShape(VectorOperators.B2F, F, 0)).fma(xv, a3);
            }
            o0 = a0.fma(FloatVector.broadcast(F, sc[s0 + g]), o0);
            o1 = a1.fma(FloatVector.broadcast(F, sc[s0 + gpr + g]), o1);
            o2 = a2.fma(FloatVector.broadcast(F, sc[s0 + 2 * gpr + g]), o2);
            o3 = a3.fma(FloatVector.broadcast(F, sc[s0 + 3 * gpr + g]), o3);
            for (; c < c1; c++) {
                t0 += sc[s0 + g] * (q[b0 + c] * x[xo + c]);
                t1 += sc[s0 + gpr + g] * (q[b1 + c] * x[xo + c]);
                t2 += sc[s0 + 2 * gpr + g] * (q[b2 + c] * x[xo + c]);
                t3 += sc[s0 + 3 * gpr + g] * (q[b3 + c] * x[xo + c]);
            }
        }
        y[yo] = o0.reduceLanes(VectorOperators.ADD) + t0;
        y[yo + 1] = o1.reduceLanes(VectorOperators.ADD) + t1;
        y[yo + 2] = o2.reduceLanes(VectorOperators.ADD) + t2;
        y[yo + 3] = o3.reduceLanes(VectorOperators.ADD) + t3;
    }

    private static float int8Dot(Int8Rows w, int r, float[] x, int xo) {
        int k = w.cols();
        byte[] q = w.codes();
        float[] sc = w.scales();
        int b0 = r * k;
        int s0 = r * w.groupsPerRow();
        FloatVector o = FloatVector.zero(F);
        float t = 0f;
        for (int g = 0, c0 = 0; c0 < k; g++, c0 += Int8Rows.GROUP) {
            int c1 = Math.min(k, c0 + Int8Rows.GROUP);
            FloatVector a = FloatVector.zero(F);
            int c = c0;
            for (; c + L <= c1; c += L) {
                a = ((FloatVector) ByteVector.fromArray(B, q, b0 + c).convertShape(VectorOperators.B2F, F, 0))
                        .fma(FloatVector.fromArray(F, x, xo + c), a);
            }
            o = a.fma(FloatVector.broadcast(F, sc[s0 + g]), o);
            for (; c < c1; c++) {
                t += sc[s0 + g] * (q[b0 + c] * x[xo + c]);
            }
        }
        return o.reduceLanes(VectorOperators.ADD) + t;
    }

    /**
     * Several activation rows (a batch of decode steps) through the 8-bit head: four head rows by three activation
     * rows at a time ({@link #int8Dot4x3}: each byte vector widened to floats once feeds three FMAs), the rest four
     * head rows by one ({@link #int8Dot4}). Every output is summed in the order {@link #int8Gemv} sums it, so a
     * sequence's logits are the same bit for bit whether it decodes alone or batched with others. (Dequantizing four
     * head rows to floats once per batch and then multiplying was tried: its write and re-read of 4 x K floats took
     * 40 % of the batched head's time at eight rows, and two rows cost more than two GEMVs.)
     */
    @Override
    public void int8Gemm(Int8Rows w, float[] x, int rows, float[] y, int r0, int r1, KernelScratch scratch) {
        int k = w.cols();
        int n = w.rows();
        int r = r0;
        for (; r + 4 <= r1; r += 4) {
            int m = 0;
            for (; m + 3 <= rows; m += 3) {
                int8Dot4x3(w, r, x, m * k, y, m * n + r, n);
            }
            for (; m < rows; m++) {
                int8Dot4(w, r, x, m * k, y, m * n + r);
            }
        }
        for (; r < r1; r++) {
            for (int m = 0; m < rows; m++) {
                y[m * n + r] = int8Dot(w, r, x, m * k);
            }
        }
    }

    /**
     * {@link #int8Dot4} for three activation rows (x at xo, xo + K, xo + 2K; outputs at yo, yo + n, yo + 2n), each
     * (head row, activation row) pair summed exactly as {@link #int8Dot4} sums it.
     */
    private static void int8Dot4x3(Int8Rows w, int r, float[] x, int xo, float[] y, int yo, int n) {
        int k = w.cols();
        byte[] q = w.codes();
        float[] sc = w.scales();
        int gpr = w.groupsPerRow();
        int b0 = r * k;
        int s0 = r * gpr;
        FloatVector o00 = FloatVector.zero(F);
        FloatVector o10 = FloatVector.zero(F);
        FloatVector o20 = FloatVector.zero(F);
        FloatVector o30 = FloatVector.zero(F);
        FloatVector o01 = FloatVector.zero(F);
        FloatVector o11 = FloatVector.zero(F);
        FloatVector o21 = FloatVector.zero(F);
        FloatVector o31 = FloatVector.zero(F);
        FloatVector o02 = FloatVector.zero(F);
        FloatVector o12 = FloatVector.zero(F);
        FloatVector o22 = FloatVector.zero(F);
        FloatVector o32 = FloatVector.zero(F);
        float t00 = 0f;
        float t10 = 0f;
        float t20 = 0f;
        float t30 = 0f;
        float t01 = 0f;
        float t11 = 0f;
        float t21 = 0f;
        float t31 = 0f;
        float t02 = 0f;
        float t12 = 0f;
        float t22 = 0f;
        float t32 = 0f;
        for (int g = 0, c0 = 0; c0 < k; g++, c0 += Int8Rows.GROUP) {
            int c1 = Math.min(k, c0 + Int8Rows.GROUP);
            FloatVector a00 = FloatVector.zero(F);
            FloatVector a10 = FloatVector.zero(F);
            FloatVector a20 = FloatVector.zero(F);
            FloatVector a30 = FloatVector.zero(F);
            FloatVector a01 = FloatVector.zero(F);
            FloatVector a11 = FloatVector.zero(F);
            FloatVector a21 = FloatVector.zero(F);
            FloatVector a31 = FloatVector.zero(F);
            FloatVector a02 = FloatVector.zero(F);
            FloatVector a12 = FloatVector.zero(F);
            FloatVector a22 = FloatVector.zero(F);
            FloatVector a32 = FloatVector.zero(F);
            int c = c0;
            for (; c + L <= c1; c += L) {
                FloatVector x0 = FloatVector.fromArray(F, x, xo + c);
                FloatVector x1 = FloatVector.fromArray(F, x, xo + k + c);
                FloatVector x2 = FloatVector.fromArray(F, x, xo + 2 * k + c);
                FloatVector w0 = (FloatVector) ByteVector.fromArray(B, q, b0 + c).convertShape(VectorOperators.B2F, F, 0);
                a00 = w0.fma(x0, a00);
                a01 = w0.fma(x1, a01);
                a02 = w0.fma(x2, a02);
                FloatVector w1 = (FloatVector) ByteVector.fromArray(B, q, b0 + k + c).convertShape(VectorOperators.B2F, F, 0);
                a10 = w1.fma(x0, a10);
                a11 = w1.fma(x1, a11);
                a12 = w1.fma(x2, a12);
                FloatVector w2 = (FloatVector) ByteVector.fromArray(B, q, b0 + 2 * k + c).convertShape(VectorOperators.B2F, F, 0);
                a20 = w2.fma(x0, a20);
                a21 = w2.fma(x1, a21);
                a22 = w2.fma(x2, a22);
                FloatVector w3 = (FloatVector) ByteVector.fromArray(B, q, b0 + 3 * k + c).convertShape(VectorOperators.B2F, F, 0);
                a30 = w3.fma(x0, a30);
                a31 = w3.fma(x1, a31);
                a32 = w3.fma(x2, a32);
            }
            FloatVector d0 = FloatVector.broadcast(F, sc[s0 + g]);
            o00 = a00.fma(d0, o00);
            o01 = a01.fma(d0, o01);
            o02 = a02.fma(d0, o02);
            FloatVector d1 = FloatVector.broadcast(F, sc[s0 + gpr + g]);
            o10 = a10.fma(d1, o10);
            o11 = a11.fma(d1, o11);
            o12 = a12.fma(d1, o12);
            FloatVector d2 = FloatVector.broadcast(F, sc[s0 + 2 * gpr + g]);
            o20 = a20.fma(d2, o20);
            o21 = a21.fma(d2, o21);
            o22 = a22.fma(d2, o22);
            FloatVector d3 = FloatVector.broadcast(F, sc[s0 + 3 * gpr + g]);
            o30 = a30.fma(d3, o30);
            o31 = a31.fma(d3, o31);
            o32 = a32.fma(d3, o32);
            for (; c < c1; c++) {
                float x0 = x[xo + c];
                float x1 = x[xo + k + c];
                float x2 = x[xo + 2 * k + c];
                t00 += sc[s0 + g] * (q[b0 + c] * x0);
                t01 += sc[s0 + g] * (q[b0 + c] * x1);
                t02 += sc[s0 + g] * (q[b0 + c] * x2);
                t10 += sc[s0 + gpr + g] * (q[b0 + k + c] * x0);
                t11 += sc[s0 + gpr + g] * (q[b0 + k + c] * x1);
                t12 += sc[s0 + gpr + g] * (q[b0 + k + c] * x2);
                t20 += sc[s0 + 2 * gpr + g] * (q[b0 + 2 * k + c] * x0);
                t21 += sc[s0 + 2 * gpr + g] * (q[b0 + 2 * k + c] * x1);
                t22 += sc[s0 + 2 * gpr + g] * (q[b0 + 2 * k + c] * x2);
                t30 += sc[s0 + 3 * gpr + g] * (q[b0 + 3 * k + c] * x0);
                t31 += sc[s0 + 3 * gpr + g] * (q[b0 + 3 * k + c] * x1);
                t32 += sc[s0 + 3 * gpr + g] * (q[b0 + 3 * k + c] * x2);
            }
        }
        y[yo] = o00.reduceLanes(VectorOperators.ADD) + t00;
        y[yo + 1] = o10.reduceLanes(VectorOperators.ADD) + t10;
        y[yo + 2] = o20.reduceLanes(VectorOperators.ADD) + t20;
        y[yo + 3] = o30.reduceLanes(VectorOperators.ADD) + t30;
        y[yo + n + 0] = o01.reduceLanes(VectorOperators.ADD) + t01;
        y[yo + n + 1] = o11.reduceLanes(VectorOperators.ADD) + t11;
        y[yo + n + 2] = o21.reduceLanes(VectorOperators.ADD) + t21;
        y[yo + n + 3] = o31.reduceLanes(VectorOperators.ADD) + t31;
        y[yo + 2 * n + 0] = o02.reduceLanes(VectorOperators.ADD) + t02;
        y[yo + 2 * n + 1] = o12.reduceLanes(VectorOperators.ADD) + t12;
        y[yo + 2 * n + 2] = o22.reduceLanes(VectorOperators.ADD) + t22;
        y[yo + 2 * n + 3] = o32.reduceLanes(VectorOperators.ADD) + t32;
    }
}
