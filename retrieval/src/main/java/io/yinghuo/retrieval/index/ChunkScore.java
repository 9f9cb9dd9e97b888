package io.yinghuo.retrieval.index;

/** A ranked chunk: its key within the snapshot that ranked it, and its score in that ranking. */
public record ChunkScore(String key, float score) {
}
