package io.yinghuo.ingest.chunk;

/**
 * Chunk sizes in tokens.
 *
 * @param targetTokens chunks are filled with whole sentences up to this size
 * @param overlapTokens consecutive chunks of one section/page share whole trailing sentences up to this size
 * @param maxTokens hard limit: no chunk is longer (a longer sentence is cut, at a comma or space if possible)
 */
public record ChunkerConfig(int targetTokens, int overlapTokens, int maxTokens) {

    public ChunkerConfig {
        if (targetTokens <= 0 || maxTokens < targetTokens || overlapTokens < 0 || overlapTokens >= targetTokens) {
            throw new IllegalArgumentException("chunker sizes must satisfy 0 < target <= max and 0 <= overlap < target,"
                    + " got target=" + targetTokens + ", overlap=" + overlapTokens + ", max=" + maxTokens);
        }
    }

    /**
     * 320 target, 64 overlap, 480 max: six chunks plus prompt and answer fit LLaMA-2's 4,096-token context, and a
     * CMRC-sized passage (about 350 tokens) usually stays whole.
     */
    public static ChunkerConfig defaults() {
        return new ChunkerConfig(320, 64, 480);
    }
}
