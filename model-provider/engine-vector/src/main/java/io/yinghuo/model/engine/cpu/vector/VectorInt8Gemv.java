package io.yinghuo.model.engine.cpu.vector;

import io.yinghuo.model.engine.cpu.GptqInput;
import io.yinghuo.model.engine.cpu.Int8Activations;
import io.yinghuo.model.engine.cpu.PackedGptq;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import static io.yinghuo.model.engine.cpu.PackedGptq.TILE;

/**
 * The 4-bit GPTQ product with int8 activations ({@link Int8Activations}) in 16-bit integer lanes: the integer
 * multiply-adds of llama.cpp's Q4_0 x Q8_0 dot product, in the operations the Java Vector API has (it has no
 * widening dot product such as x86's vpmaddubsw / vpmaddwd, so products are 16-bit multiplies, vpmullw, summed with
 * 16-bit adds).
 *
 * <p>A tile row (16 code words: 16 columns x 8 sorted rows) is read as two vectors of 8 ints, seen as 16 shorts:
 * short 2c holds rows r..r+3 of column c (nibble j = row r+j), short 2c+1 rows r+4..r+7. Nibble j is isolated with
 * a shift and a mask (codes 0..15) and multiplied by the broadcast activation pair int j of the word row (row r+j in
 * the low short, r+4+j in the high one), so one multiply gives 16 products. Per activation block (4 word rows) each
 * short lane sums 4 words x 4 nibbles = 16 products of at most 15 x 127 = 1905 in magnitude: at most 30,480, inside
 * a short's 32,767 (17 products would still fit; 18 would not). The two shorts of a column are then added as ints
 * ((x << 16) >> 16 plus x >> 16 on the int view), converted to float once per block and scaled by the block's d_b
 * with one FMA; per group the zero-point term and the weight scale are applied as in the float kernel.
 *
 * <p>Against the float kernel (one AND, one int-to-float conversion and one FMA per code and 8 columns), this is
 * per code word row of 16 columns: 2 loads, 6 shifts/masks per vector, 4 broadcasts shared by both vectors, and one
 * multiply and one add per nibble for 16 products. The vectors are 256 bits (AVX2) whatever the preferred width:
 * 16 shorts match a tile. As in {@link VectorKernels}, everything is written out in the loop (no helper methods that
 * C2 might leave uninlined and boxing).
 */
final class VectorInt8Gemv {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_256;
    private static final int L = 8;

    private VectorInt8Gemv() {
    }

    /**
     * Whether the 256-bit species run as machine vectors here (AVX2 or wider): on narrower hardware they would run
     * the Java fallback, far slower than the float kernel.
     */
    static boolean fits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256 && TILE == 2 * L;
    }

    /** {@link io.yinghuo.model.engine.cpu.ActivationMode#INT8}: one int8 per activation. */
    static void gemv(PackedGptq w, GptqInput in, int row, float[] y, int yOff, int t0, int t1) {
        int[] data = w.data();
        int[] codes = in.codes;
        float[] scales = in.blockScales;
        float[] sums = in.groupSums;
        int n = w.outFeatures();
        int groups = w.groups();
        int stride = w.tileStride();
        int blockWords = w.blockWords();
        int codeOff = row * (w.paddedRows() / 2);
        int blockOff = row * w.activationBlocks();
        int sumOff = row * groups;
        for (int t = t0; t < t1; t++) {
            FloatVector out0 = FloatVector.zero(F);
            FloatVector out1 = FloatVector.zero(F);
            int block = blockOff;
            for (int g = 0; g < groups; g++) {
                int base = t * stride + w.groupOffset(g);
                FloatVector f0 = FloatVector.zero(F);
                FloatVector f1 = FloatVector.zero(F);
                int p = base + TILE;
                int pair = codeOff + (w.groupFirstRow(g) >> 1);
                int words = w.groupWords(g);
                for (int w0 = 0; w0 < words; w0 += blockWords, block++) {
                    int end = Math.min(words, w0 + blockWords);
                    ShortVector s0 = ShortVector.zero(S);
                    ShortVector s1 = ShortVector.zero(S);
                    for (int wr = w0; wr < end; wr++, p += TILE, pair += 4) {
                        ShortVector q0 = IntVector.fromArray(I, data, p).reinterpretAsShorts();
                        ShortVector q1 = IntVector.fromArray(I, data, p + L).reinterpretAsShorts();
                        ShortVector a = IntVector.broadcast(I, codes[pair]).reinterpretAsShorts();
                        s0 = s0.add(q0.lanewise(VectorOperators.AND, (short) 0xF).mul(a));
                        s1 = s1.add(q1.lanewise(VectorOperators.AND, (short) 0xF).mul(a));
                        a = IntVector.broadcast(I, codes[pair + 1]).reinterpretAsShorts();
                        s0 = s0.add(q0.lanewise(VectorOperators.LSHR, 4).lanewise(VectorOperators.AND, (short) 0xF).mul(a));
                        s1 = s1.add(q1.lanewise(VectorOperators.LSHR, 4).lanewise(VectorOperators.AND, (short) 0xF).mul(a));
                        a = IntVector.broadcast(I, codes[pair + 2]).reinterpretAsShorts();
                        s0 = s0.add(q0.lanewise(VectorOperators.LSHR, 8).lanewise(VectorOperators.AND, (short) 0xF).mul(a));
                        s1 = s1.add(q1.lanewise(VectorOperators.LSHR, 8).lanewise(VectorOperators.AND, (short) 0xF).mul(a));
                        a = IntVector.broadcast(I, codes[pair + 3]).reinterpretAsShorts();
                        s0 = s0.add(q0.lanewise(VectorOperators.LSHR, 12).mul(a));
                        s1 = s1.add(q1.lanewise(VectorOperators.LSHR, 12).mul(a));
                    }
                    IntVector i0 = s0.reinterpretAsInts();
                    IntVector i1 = s1.reinterpretAsInts();
                    i0 = i0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                            .add(i0.lanewise(VectorOperators.ASHR, 16));
                    i1 = i1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                            .add(i1.lanewise(VectorOperators.ASHR, 16));
                    FloatVector d = FloatVector.broadcast(F, scales[block]);
                    f0 = ((FloatVector) i0.convertShape(VectorOperators.I2F, F, 0)).fma(d, f0);
                    f1 = ((FloatVector) i1.convertShape(VectorOperators.I2F, F, 0)).fma(d, f1);
                }
                // header last: its vectors are not kept live across the inner loop
                float groupSum = sums[sumOff + g];
                IntVector h0 = IntVector.fromArray(I, data, base);
                IntVector h1 = IntVector.fromArray(I, data, base + L);
                FloatVector z0 = ((FloatVector) h0.lanewise(VectorOperators.LSHR, 16)
                        .convertShape(VectorOperators.I2F, F, 0)).mul(groupSum);
                FloatVector z1 = ((FloatVector) h1.lanewise(VectorOperators.LSHR, 16)
                        .convertShape(VectorOperators.I2F, F, 0)).mul(groupSum);
                // fp16 scale bits (low half) to float: shift into a float's exponent/mantissa, rebias by 2^112
                FloatVector sc0 = h0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3)
                        .lanewise(VectorOperators.AND, 0x8FFFE000).reinterpretAsFloats().mul(0x1p112f);
                FloatVector sc1 = h1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3)
                        .lanewise(VectorOperators.AND, 0x8FFFE000).reinterpretAsFloats().mul(0x1p112f);
                out0 = f0.sub(z0).fma(sc0, out0);
                out1 = f1.sub(z1).fma(sc1, out1);
            }
            int col = t * TILE;
            if (col + TILE <= n) {
                out0.intoArray(y, yOff + col);
                out1.intoArray(y, yOff + col + L);
            } else {
                out0.intoArray(y, yOff + col, F.indexInRange(col, n));
                out1.intoArray(y, yOff + col + L, F.indexInRange(col + L, n));
            }
        }
    }

    // CPD-OFF: gemvWithResiduals is gemv plus a second product with the residuals, on purpose: each needs its own
    // straight-line inner loop for C2 to keep the accumulators in registers (a flag tested in the loop would not).

    /**
     * {@link io.yinghuo.model.engine.cpu.ActivationMode#INT8X2}: the codes of each nibble are multiplied by the
     * activations and by their residuals (two more shorts accumulators per tile, the same 30,480 bound), and per
     * block f = fma(sum, d_b, f) then f = fma(residual sum, d_b / 254, f), as the scalar oracle does.
     */
    static void gemvWithResiduals(PackedGptq w, GptqInput in, int row, float[] y, int yOff, int t0, int t1) {
        int[] data = w.data();
        int[] codes = in.codes;
        int[] residuals = in.residuals;
        float[] scales = in.blockScales;
        float[] residualScales = in.residualScales;
        float[] sums = in.groupSums;
        int n = w.outFeatures();
        int groups = w.groups();
        int stride = w.tileStride();
        int blockWords = w.blockWords();
        int codeOff = row * (w.paddedRows() / 2);
        int blockOff = row * w.activationBlocks();
        int sumOff = row * groups;
        for (int t = t0; t < t1; t++) {
            FloatVector out0 = FloatVector.zero(F);
            FloatVector out1 = FloatVector.zero(F);
            int block = blockOff;
            for (int g = 0; g < groups; g++) {
                int base = t * stride + w.groupOffset(g);
                FloatVector f0 = FloatVector.zero(F);
                FloatVector f1 = FloatVector.zero(F);
                int p = base + TILE;
                int pair = codeOff + (w.groupFirstRow(g) >> 1);
                int words = w.groupWords(g);
                for (int w0 = 0; w0 < words; w0 += blockWords, block++) {
                    int end = Math.min(words, w0 + blockWords);
                    ShortVector s0 = ShortVector.zero(S);
                    ShortVector s1 = ShortVector.zero(S);
                    ShortVector r0 = ShortVector.zero(S);
                    ShortVector r1 = ShortVector.zero(S);
                    for (int wr = w0; wr < end; wr++, p += TILE, pair += 4) {
                        ShortVector q0 = IntVector.fromArray(I, data, p).reinterpretAsShorts();
                        ShortVector q1 = IntVector.fromArray(I, data, p + L).reinterpretAsShorts();
                        ShortVector c0 = q0.lanewise(VectorOperators.AND, (short) 0xF);
                        ShortVector c1 = q1.lanewise(VectorOperators.AND, (short) 0xF);
                        ShortVector a = IntVector.broadcast(I, codes[pair]).reinterpretAsShorts();
                        ShortVector b = IntVector.broadcast(I, residuals[pair]).reinterpretAsShorts();
                        s0 = s0.add(c0.mul(a));
                        s1 = s1.add(c1.mul(a));
                        r0 = r0.add(c0.mul(b));
                        r1 = r1.add(c1.mul(b));
                        c0 = q0.lanewise(VectorOperators.LSHR, 4).lanewise(VectorOperators.AND, (short) 0xF);
                        c1 = q1.lanewise(VectorOperators.LSHR, 4).lanewise(VectorOperators.AND, (short) 0xF);
                        a = IntVector.broadcast(I, codes[pair + 1]).reinterpretAsShorts();
                        b = IntVector.broadcast(I, residuals[pair + 1]).reinterpretAsShorts();
                        s0 = s0.add(c0.mul(a));
                        s1 = s1.add(c1.mul(a));
                        r0 = r0.add(c0.mul(b));
                        r1 = r1.add(c1.mul(b));
                        c0 = q0.lanewise(VectorOperators.LSHR, 8).lanewise(VectorOperators.AND, (short) 0xF);
                        c1 = q1.lanewise(VectorOperators.LSHR, 8).lanewise(VectorOperators.AND, (short) 0xF);
                        a = IntVector.broadcast(I, codes[pair + 2]).reinterpretAsShorts();
                        b = IntVector.broadcast(I, residuals[pair + 2]).reinterpretAsShorts();
                        s0 = s0.add(c0.mul(a));
                        s1 = s1.add(c1.mul(a));
                        r0 = r0.add(c0.mul(b));
                        r1 = r1.add(c1.mul(b));
                        c0 = q0.lanewise(VectorOperators.LSHR, 12);
                        c1 = q1.lanewise(VectorOperators.LSHR, 12);
                        a = IntVector.broadcast(I, codes[pair + 3]).reinterpretAsShorts();
                        b = IntVector.broadcast(I, residuals[pair + 3]).reinterpretAsShorts();
                        s0 = s0.add(c0.mul(a));
                        s1 = s1.add(c1.mul(a));
                        r0 = r0.add(c0.mul(b));
                        r1 = r1.add(c1.mul(b));
                    }
                    IntVector i0 = s0.reinterpretAsInts();
                    IntVector i1 = s1.reinterpretAsInts();
                    IntVector j0 = r0.reinterpretAsInts();
                    IntVector j1 = r1.reinterpretAsInts();
                    i0 = i0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                            .add(i0.lanewise(VectorOperators.ASHR, 16));
                    i1 = i1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                            .add(i1.lanewise(VectorOperators.ASHR, 16));
                    j0 = j0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                            .add(j0.lanewise(VectorOperators.ASHR, 16));
                    j1 = j1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                            .add(j1.lanewise(VectorOperators.ASHR, 16));
                    FloatVector d = FloatVector.broadcast(F, scales[block]);
                    FloatVector d2 = FloatVector.broadcast(F, residualScales[block]);
                    f0 = ((FloatVector) i0.convertShape(VectorOperators.I2F, F, 0)).fma(d, f0);
                    f1 = ((FloatVector) i1.convertShape(VectorOperators.I2F, F, 0)).fma(d, f1);
                    f0 = ((FloatVector) j0.convertShape(VectorOperators.I2F, F, 0)).fma(d2, f0);
                    f1 = ((FloatVector) j1.convertShape(VectorOperators.I2F, F, 0)).fma(d2, f1);
                }
                float groupSum = sums[sumOff + g];
                IntVector h0 = IntVector.fromArray(I, data, base);
                IntVector h1 = IntVector.fromArray(I, data, base + L);
                FloatVector z0 = ((FloatVector) h0.lanewise(VectorOperators.LSHR, 16)
                        .convertShape(VectorOperators.I2F, F, 0)).mul(groupSum);
                FloatVector z1 = ((FloatVector) h1.lanewise(VectorOperators.LSHR, 16)
                        .convertShape(VectorOperators.I2F, F, 0)).mul(groupSum);
                FloatVector sc0 = h0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3)
                        .lanewise(VectorOperators.AND, 0x8FFFE000).reinterpretAsFloats().mul(0x1p112f);
                FloatVector sc1 = h1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3)
                        .lanewise(VectorOperators.AND, 0x8FFFE000).reinterpretAsFloats().mul(0x1p112f);
                out0 = f0.sub(z0).fma(sc0, out0);
                out1 = f1.sub(z1).fma(sc1, out1);
            }
            int col = t * TILE;
            if (col + TILE <= n) {
                out0.intoArray(y, yOff + col);
                out1.intoArray(y, yOff + col + L);
            } else {
                out0.intoArray(y, yOff + col, F.indexInRange(col, n));
                out1.intoArray(y, yOff + col + L, F.indexInRange(col + L, n));
            }
        }
    }


    /**
     * {@link #gemvWithResiduals} for two activation rows at once ({@code row} and {@code row + 1}, outputs at
     * {@code yOff} and {@code yOff + n}): each code word row is loaded and its nibbles isolated once for both rows,
     * which saves the 12 shifts and masks of the second row per word row (its 8 broadcasts and 16 multiply-adds
     * stay). Each row's integers and floats are summed in exactly the order {@link #gemvWithResiduals} sums them,
     * so the outputs are bit-identical to running the rows one by one. 24 vectors are live in the inner loop and 8
     * across it: on AVX-512 hardware (32 vector registers) nothing spills; on AVX2 the per-group accumulators do.
     */
    static void gemvWithResiduals2(PackedGptq w, GptqInput in, int row, float[] y, int yOff, int t0, int t1) {
        int[] data = w.data();
        int[] codes = in.codes;
        int[] residuals = in.residuals;
        float[] scales = in.blockScales;
        float[] residualScales = in.residualScales;
        float[] sums = in.groupSums;
        int n = w.outFeatures();
        int groups = w.groups();
        int stride = w.tileStride();
        int blockWords = w.blockWords();
        int other = w.paddedRows() / 2; // the second row's codes follow the first's
        int otherBlock = w.activationBlocks();
        int codeOff = row * other;
        int blockOff = row * otherBlock;
        int sumOff = row * groups;
        for (int t = t0; t < t1; t++) {
            FloatVector out0 = FloatVector.zero(F);
            FloatVector out1 = FloatVector.zero(F);
            FloatVector outB0 = FloatVector.zero(F);
            FloatVector outB1 = FloatVector.zero(F);
            int block = blockOff;
            for (int g = 0; g < groups; g++) {
                int base = t * stride + w.groupOffset(g);
                FloatVector f0 = FloatVector.zero(F);
                FloatVector f1 = FloatVector.zero(F);
                FloatVector e0 = FloatVector.zero(F);
                FloatVector e1 = FloatVector.zero(F);
                int p = base + TILE;
                int pair = codeOff + (w.groupFirstRow(g) >> 1);
                int words = w.groupWords(g);
                for (int w0 = 0; w0 < words; w0 += blockWords, block++) {
                    int end = Math.min(words, w0 + blockWords);
                    ShortVector s0 = ShortVector.zero(S);
                    ShortVector s1 = ShortVector.zero(S);
                    ShortVector r0 = ShortVector.zero(S);
                    ShortVector r1 = ShortVector.zero(S);
                    ShortVector u0 = ShortVector.zero(S);
                    ShortVector u1 = ShortVector.zero(S);
                    ShortVector v0 = ShortVector.zero(S);
                    ShortVector v1 = ShortVector.zero(S);
                    for (int wr = w0; wr < end; wr++, p += TILE, pair += 4) {
                        ShortVector q0 = IntVector.fromArray(I, data, p).reinterpretAsShorts();
                        ShortVector q1 = IntVector.fromArray(I, data, p + L).reinterpretAsShorts();
                        ShortVector c0;
                        ShortVector c1;
                        ShortVector a;
                        ShortVector b;
                        c0 = q0.lanewise(VectorOperators.AND, (short) 0xF);
                        c1 = q1.lanewise(VectorOperators.AND, (short) 0xF);
                        a = IntVector.broadcast(I, codes[pair]).reinterpretAsShorts();
                        b = IntVector.broadcast(I, residuals[pair]).reinterpretAsShorts();
                        s0 = s0.add(c0.mul(a));
                        s1 = s1.add(c1.mul(a));
                        r0 = r0.add(c0.mul(b));
                        r1 = r1.add(c1.mul(b));
                        a = IntVector.broadcast(I, codes[pair + other]).reinterpretAsShorts();
                        b = IntVector.broadcast(I, residuals[pair + other]).reinterpretAsShorts();
                        u0 = u0.add(c0.mul(a));
                        u1 = u1.add(c1.mul(a));
                        v0 = v0.add(c0.mul(b));
                        v1 = v1.add(c1.mul(b));
                        c0 = q0.lanewise(VectorOperators.LSHR, 4).lanewise(VectorOperators.AND, (short) 0xF);
                        c1 = q1.lanewise(VectorOperators.LSHR, 4).lanewise(VectorOperators.AND, (short) 0xF);
                        a = IntVector.broadcast(I, codes[pair + 1]).reinterpretAsShorts();
                        b = IntVector.broadcast(I, residuals[pair + 1]).reinterpretAsShorts();
                        s0 = s0.add(c0.mul(a));
                        s1 = s1.add(c1.mul(a));
                        r0 = r0.add(c0.mul(b));
                        r1 = r1.add(c1.mul(b));
                        a = IntVector.broadcast(I, codes[pair + 1 + other]).reinterpretAsShorts();
                        b = IntVector.broadcast(I, residuals[pair + 1 + other]).reinterpretAsShorts();
                        u0 = u0.add(c0.mul(a));
                        u1 = u1.add(c1.mul(a));
                        v0 = v0.add(c0.mul(b));
                        v1 = v1.add(c1.mul(b));
                        c0 = q0.lanewise(VectorOperators.LSHR, 8).lanewise(VectorOperators.AND, (short) 0xF);
                        c1 = q1.lanewise(VectorOperators.LSHR, 8).lanewise(VectorOperators.AND, (short) 0xF);
                        a = IntVector.broadcast(I, codes[pair + 2]).reinterpretAsShorts();
                        b = IntVector.broadcast(I, residuals[pair + 2]).reinterpretAsShorts();
                        s0 = s0.add(c0.mul(a));
                        s1 = s1.add(c1.mul(a));
                        r0 = r0.add(c0.mul(b));
                        r1 = r1.add(c1.mul(b));
                        a = IntVector.broadcast(I, codes[pair + 2 + other]).reinterpretAsShorts();
                        b = IntVector.broadcast(I, residuals[pair + 2 + other]).reinterpretAsShorts();
                        u0 = u0.add(c0.mul(a));
                        u1 = u1.add(c1.mul(a));
                        v0 = v0.add(c0.mul(b));
                        v1 = v1.add(c1.mul(b));
                        c0 = q0.lanewise(VectorOperators.LSHR, 12);
                        c1 = q1.lanewise(VectorOperators.LSHR, 12);
                        a = IntVector.broadcast(I, codes[pair + 3]).reinterpretAsShorts();
                        b = IntVector.broadcast(I, residuals[pair + 3]).reinterpretAsShorts();
                        s0 = s0.add(c0.mul(a));
                        s1 = s1.add(c1.mul(a));
                        r0 = r0.add(c0.mul(b));
                        r1 = r1.add(c1.mul(b));
                        a = IntVector.broadcast(I, codes[pair + 3 + other]).reinterpretAsShorts();
                        b = IntVector.broadcast(I, residuals[pair + 3 + other]).reinterpretAsShorts();
                        u0 = u0.add(c0.mul(a));
                        u1 = u1.add(c1.mul(a));
                        v0 = v0.add(c0.mul(b));
                        v1 = v1.add(c1.mul(b));
                    }
                    IntVector i0 = s0.reinterpretAsInts();
                    IntVector i1 = s1.reinterpretAsInts();
                    IntVector j0 = r0.reinterpretAsInts();
                    IntVector j1 = r1.reinterpretAsInts();
                    IntVector k0 = u0.reinterpretAsInts();
                    IntVector k1 = u1.reinterpretAsInts();
                    IntVector l0 = v0.reinterpretAsInts();
                    IntVector l1 = v1.reinterpretAsInts();
                    i0 = i0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                            .add(i0.lanewise(VectorOperators.ASHR, 16));
                    i1 = i1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                            .add(i1.lanewise(VectorOperators.ASHR, 16));
                    j0 = j0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                            .add(j0.lanewise(VectorOperators.ASHR, 16));
                    j1 = j1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                            .add(j1.lanewise(VectorOperators.ASHR, 16));
                    k0 = k0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                            .add(k0.lanewise(VectorOperators.ASHR, 16));
                    k1 = k1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                            .add(k1.lanewise(VectorOperators.ASHR, 16));
                    l0 = l0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                            .add(l0.lanewise(VectorOperators.ASHR, 16));
                    l1 = l1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                            .add(l1.lanewise(VectorOperators.ASHR, 16));
                    FloatVector d = FloatVector.broadcast(F, scales[block]);
                    FloatVector d2 = FloatVector.broadcast(F, residualScales[block]);
                    f0 = ((FloatVector) i0.convertShape(VectorOperators.I2F, F, 0)).fma(d, f0);
                    f1 = ((FloatVector) i1.convertShape(VectorOperators.I2F, F, 0)).fma(d, f1);
                    f0 = ((FloatVector) j0.convertShape(VectorOperators.I2F, F, 0)).fma(d2, f0);
                    f1 = ((FloatVector) j1.convertShape(VectorOperators.I2F, F, 0)).fma(d2, f1);
                    d = FloatVector.broadcast(F, scales[block + otherBlock]);
                    d2 = FloatVector.broadcast(F, residualScales[block + otherBlock]);
                    e0 = ((FloatVector) k0.convertShape(VectorOperators.I2F, F, 0)).fma(d, e0);
                    e1 = ((FloatVector) k1.convertShape(VectorOperators.I2F, F, 0)).fma(d, e1);
                    e0 = ((FloatVector) l0.convertShape(VectorOperators.I2F, F, 0)).fma(d2, e0);
                    e1 = ((FloatVector) l1.convertShape(VectorOperators.I2F, F, 0)).fma(d2, e1);
                }
                float groupSum = sums[sumOff + g];
                float groupSumB = sums[sumOff + groups + g];
                IntVector h0 = IntVector.fromArray(I, data, base);
                IntVector h1 = IntVector.fromArray(I, data, base + L);
                FloatVector zq0 = (FloatVector) h0.lanewise(VectorOperators.LSHR, 16)
                        .convertShape(VectorOperators.I2F, F, 0);
                FloatVector zq1 = (FloatVector) h1.lanewise(VectorOperators.LSHR, 16)
                        .convertShape(VectorOperators.I2F, F, 0);
                FloatVector sc0 = h0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3)
                        .lanewise(VectorOperators.AND, 0x8FFFE000).reinterpretAsFloats().mul(0x1p112f);
                FloatVector sc1 = h1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3)
                        .lanewise(VectorOperators.AND, 0x8FFFE000).reinterpretAsFloats().mul(0x1p112f);
                out0 = f0.sub(zq0.mul(groupSum)).fma(sc0, out0);
                out1 = f1.sub(zq1.mul(groupSum)).fma(sc1, out1);
                outB0 = e0.sub(zq0.mul(groupSumB)).fma(sc0, outB0);
                outB1 = e1.sub(zq1.mul(groupSumB)).fma(sc1, outB1);
            }
            int col = t * TILE;
            if (col + TILE <= n) {
                out0.intoArray(y, yOff + col);
                out1.intoArray(y, yOff + col + L);
                outB0.intoArray(y, yOff + n + col);
                outB1.intoArray(y, yOff + n + col + L);
            } else {
                out0.intoArray(y, yOff + col, F.indexInRange(col, n));
                out1.intoArray(y, yOff + col + L, F.indexInRange(col + L, n));
                outB0.intoArray(y, yOff + n + col, F.indexInRange(col, n));
                outB1.intoArray(y, yOff + n + col + L, F.indexInRange(col + L, n));
            }
        }
    }

    // CPD-ON
}
