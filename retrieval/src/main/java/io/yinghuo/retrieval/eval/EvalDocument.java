package io.yinghuo.retrieval.eval;

/** A document of an evaluation set: {@code {"doc_id","title","text"}}. */
public record EvalDocument(String docId, String title, String text) {
}
