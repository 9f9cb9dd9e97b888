package io.yinghuo.model.engine.cpu;

import io.yinghuo.model.weights.ActOrder;
import io.yinghuo.model.weights.GptqLinear;
import io.yinghuo.model.weights.TransientGptqRead;

import java.nio.IntBuffer;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * A GPTQ linear repacked once at load into the layout the CPU kernels stream: decode is memory-bound, so every
 * weight word is read once, in order, and dequantized in registers.
 *
 * <p>Rows of K are stably sorted by g_idx ({@link ActOrder}, ExLlamaV2's make_sequential) so every group is a
 * contiguous run; a group whose length is not a multiple of the codes per word is padded with zero codes, and the
 * activation is gathered through {@link #perm()} (a padded row gathers 0). Output columns are cut into tiles of
 * {@link #TILE}; each tile is one sequential run of ints, group after group:
 * <pre>
 *   tile t: [group 0: TILE header words | words(0) x TILE code words] [group 1: ...] ...
 *   header word of column c:  fp16 scale bits (low 16) | zero point (high 16, v1 "+1" already applied)
 *   code word (row r, column c): the codes of K rows 32/bits*r .. 32/bits*r + 32/bits - 1 of the sorted order,
 *                                code s at bit offset bits*s, as in the checkpoint
 * </pre>
 * Columns past N in the last tile have scale 0 and codes 0. The int[] replaces the checkpoint's qweight, qzeros and
 * scales in memory; there is no float copy of the weights. When the layer says where its tensors lie
 * ({@link GptqLinear#stored}) they are read through a transient mapping that is unmapped right after packing, so the
 * checkpoint's long-lived mappings of them are never touched and only the packed copy stays resident.
 */
public final class PackedGptq {
    /** Output columns per tile: one 512-bit vector of floats, two of 256 bits. */
    public static final int TILE = 16;
    /**
     * Sorted rows that share one int8 activation scale ({@link Int8Activations}): each group is cut into blocks of
     * this many rows (its last block may be shorter), as llama.cpp's Q8_0 blocks of 32 values.
     */
    public static final int ACTIVATION_BLOCK_ROWS = 32;

    private final int inFeatures;
    private final int outFeatures;
    private final int bits;
    private final int tiles;
    private final int groups;
    private final int paddedRows;
    private final int[] perm;
    private final int[] groupOffset;
    private final int[] groupFirstRow;
    private final int[] groupWords;
    private final int tileStride;
    private final int activationBlocks;
    private final int[] data;

    private PackedGptq(int inFeatures, int outFeatures, int bits, int groups, int paddedRows, int[] perm,
                       int[] groupOffset, int[] groupFirstRow, int[] groupWords, int tileStride, int[] data) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.bits = bits;
        this.tiles = (outFeatures + TILE - 1) / TILE;
        this.groups = groups;
        this.paddedRows = paddedRows;
        this.perm = perm;
        this.groupOffset = groupOffset;
        this.groupFirstRow = groupFirstRow;
        this.groupWords = groupWords;
        this.tileStride = tileStride;
        this.data = data;
        int blocks = 0;
        for (int g = 0; g < groups; g++) {
            blocks += blocksOf(g);
        }
        this.activationBlocks = blocks;
    }

    /** Repacks a checkpoint linear; validates g_idx and the supported bit widths. */
    public static PackedGptq pack(GptqLinear w) {
        return TransientGptqRead.build(w, PackedGptq::packBuffers);
    }

    private static PackedGptq packBuffers(GptqLinear w) {
        int bits = w.bits();
        if (bits != 2 && bits != 4 && bits != 8) {
            throw new IllegalArgumentException("the CPU backend handles 2, 4 and 8-bit GPTQ, not " + bits + "-bit");
        }
        int k = w.inFeatures();
        int n = w.outFeatures();
        int groups = w.groups();
        int per = 32 / bits;
        int[] starts = ActOrder.groupStarts(w.rowsPerGroup(), per);
        int rows = starts[groups];
        int[] groupWords = new int[groups];
        int[] groupFirstRow = Arrays.copyOf(starts, groups);
        int[] groupOffset = new int[groups];
        int offset = 0;
        for (int g = 0; g < groups; g++) {
            groupWords[g] = (starts[g + 1] - starts[g]) / per;
            groupOffset[g] = offset;
            offset += TILE + TILE * groupWords[g];
        }
        int tileStride = offset;
        int[] perm = ActOrder.permutation(w.gIdx(), starts, rows);
        int tiles = (n + TILE - 1) / TILE;
        long total = (long) tiles * tileStride;
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("GPTQ linear " + k + "x" + n + " is too large for one packed array");
        }
        int[] data = new int[(int) total];
        // Load time matters for 7B checkpoints (billions of codes): tiles are independent, pack them in parallel.
        IntStream.range(0, tiles).parallel().forEach(t -> packTile(w, t, perm, groupOffset, groupFirstRow,
                groupWords, tileStride, data));
        return new PackedGptq(k, n, bits, groups, rows, perm, groupOffset, groupFirstRow, groupWords, tileStride,
                data);
    }

    private static void packTile(GptqLinear w, int t, int[] perm, int[] groupOffset, int[] groupFirstRow,
                                 int[] groupWords, int tileStride, int[] data) {
        int n = w.outFeatures();
        int bits = w.bits();
        int per = 32 / bits;
        int mask = w.mask();
        IntBuffer qweight = w.qweight();
        int cols = Math.min(TILE, n - t * TILE);
        for (int g = 0; g < groupOffset.length; g++) {
            int base = t * tileStride + groupOffset[g];
            for (int c = 0; c < cols; c++) {
                int col = t * TILE + c;
                data[base + c] = (w.scales().get(g * n + col) & 0xFFFF) | (w.zero(g, col) << 16);
            }
            int wordsBase = base + TILE;
            for (int wr = 0; wr < groupWords[g]; wr++) {
                int first = groupFirstRow[g] + wr * per;
                int orig0 = perm[first];
                boolean aligned = orig0 >= 0 && orig0 % per == 0;
                for (int s = 1; aligned && s < per; s++) {
                    aligned = perm[first + s] == orig0 + s;
                }
                for (int c = 0; c < cols; c++) {
                    int col = t * TILE + c;
                    int word;
                    if (aligned) {
                        word = qweight.get((orig0 / per) * n + col); // the checkpoint word as is
                    } else {
                        word = 0;
                        for (int s = 0; s < per; s++) {
                            int orig = perm[first + s];
                            if (orig >= 0) {
                                int src = qweight.get((orig / per) * n + col);
                                word |= ((src >>> (bits * (orig % per))) & mask) << (bits * s);
                            }
                        }
                    }
                    data[wordsBase + wr * TILE + c] = word;
                }
            }
        }
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    public int bits() {
        return bits;
    }

    public int codesPerWord() {
        return 32 / bits;
    }

    public int tiles() {
        return tiles;
    }

    public int groups() {
        return groups;
    }

    /** K after sorting and padding every group to whole words. */
    public int paddedRows() {
        return paddedRows;
    }

    /** Sorted row r came from checkpoint row perm[r] (-1 for padding). Do not modify. */
    public int[] perm() {
        return perm;
    }

    /** Offset of group g's header within a tile. */
    public int groupOffset(int g) {
        return groupOffset[g];
    }

    /** First sorted row of group g. */
    public int groupFirstRow(int g) {
        return groupFirstRow[g];
    }

    /** Code words (rows of TILE ints) of group g. */
    public int groupWords(int g) {
        return groupWords[g];
    }

    /** Code words per int8 activation block (the last block of a group may have fewer). */
    public int blockWords() {
        return ACTIVATION_BLOCK_ROWS / codesPerWord();
    }

    /** Int8 activation blocks of group g: its words cut into runs of {@link #blockWords()}. */
    public int blocksOf(int g) {
        return (groupWords[g] + blockWords() - 1) / blockWords();
    }

    /** Int8 activation blocks of all groups, in order (one scale each per activation row). */
    public int activationBlocks() {
        return activationBlocks;
    }

    public int tileStride() {
        return tileStride;
    }

    /** The packed stream. Do not modify. */
    public int[] data() {
        return data;
    }

    /** Bytes the packed form occupies (what one matrix-vector product streams). */
    public long bytes() {
        return (long) data.length * 4 + (long) perm.length * 4;
    }
}
