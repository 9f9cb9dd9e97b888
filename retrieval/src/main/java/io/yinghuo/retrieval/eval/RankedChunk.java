package io.yinghuo.retrieval.eval;

/** One retrieved chunk as the evaluator sees it: the evaluation set's document id and the chunk text. */
public record RankedChunk(String docId, String text) {
}
