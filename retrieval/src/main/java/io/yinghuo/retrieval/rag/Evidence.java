package io.yinghuo.retrieval.rag;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.rag.content.Content;
import io.yinghuo.retrieval.langchain4j.ChineseContentRetriever;
import io.yinghuo.retrieval.search.SearchHit;

import java.util.List;

import java.util.Objects;

/**
 * One numbered passage of the context given to the model: the model cites it as {@code [number]}.
 *
 * @param number  1-based citation number, as written in the prompt
 * @param part    0-based index of the question part it was retrieved for (the first part, if several)
 * @param content the retrieved content; its text segment's metadata holds the citation fields written by
 *                {@link ChineseContentRetriever} (document id, file name, page, offsets…)
 */
public record Evidence(int number, int part, Content content) {

    /** Text-segment metadata key with the evidence number, set on the contents an augmentor returns. */
    public static final String NUMBER = "evidence_number";
    /** Text-segment metadata key with the question part a content was retrieved for. */
    public static final String PART = "question_part";

    public Evidence {
        if (number < 1) {
            throw new IllegalArgumentException("evidence numbers start at 1, got " + number);
        }
        Objects.requireNonNull(content, "content");
    }

    public String text() {
        return content.textSegment().text();
    }

    public String docId() {
        return string(ChineseContentRetriever.DOCUMENT_ID);
    }

    public String fileName() {
        return string(ChineseContentRetriever.FILE_NAME);
    }

    public String title() {
        return string(ChineseContentRetriever.TITLE);
    }

    public String collection() {
        return string(ChineseContentRetriever.COLLECTION);
    }

    /** Heading path where the passage starts; "" when none or when the retriever did not say. */
    public String headingPath() {
        return string(ChineseContentRetriever.HEADING_PATH);
    }

    /** 1-based page where the passage starts; 0 when the retriever did not say. */
    public int page() {
        return integer(ChineseContentRetriever.PAGE, 0);
    }

    /** Start offset of the passage in its document's parsed text (UTF-16 chars); -1 when unknown. */
    public int start() {
        return integer(ChineseContentRetriever.START_OFFSET, -1);
    }

    /** End offset (exclusive); -1 when unknown. */
    public int end() {
        return integer(ChineseContentRetriever.END_OFFSET, -1);
    }

    public int chunkIndex() {
        return integer(ChineseContentRetriever.CHUNK_INDEX, -1);
    }

    public double score() {
        Double score = metadata().getDouble(ChineseContentRetriever.SCORE);
        return score == null ? 0 : score;
    }

    /** {@link SearchHit#HYBRID} or {@link SearchHit#LEXICAL}: how the retriever ranked the passage. */
    public String retrieval() {
        String kind = metadata().getString(ChineseContentRetriever.RETRIEVAL);
        return kind == null ? SearchHit.LEXICAL : kind;
    }

    /** The vector similarity ((1 + cos) / 2) of the passage and its query; NaN when it was ranked by keywords only. */
    public float similarity() {
        Double similarity = metadata().getDouble(ChineseContentRetriever.SIMILARITY);
        return similarity == null ? Float.NaN : similarity.floatValue();
    }

    /** The passage as the search hit it came from, without marks (see {@code Highlighter#mark}). */
    public SearchHit hit() {
        return new SearchHit(docId(), collection(), fileName(), title(), chunkIndex(), page(), headingPath(), start(),
                end(), text(), (float) score(), List.of(), null, retrieval(), similarity());
    }

    private Metadata metadata() {
        return content.textSegment().metadata();
    }

    private String string(String key) {
        String value = metadata().getString(key);
        return value == null ? "" : value;
    }

    private int integer(String key, int missing) {
        Integer value = metadata().getInteger(key);
        return value == null ? missing : value;
    }

    /** A key that identifies the passage: document and chunk when known, else its text. */
    static String key(Content content) {
        Metadata m = content.textSegment().metadata();
        String doc = m.getString(ChineseContentRetriever.DOCUMENT_ID);
        Integer chunk = m.getInteger(ChineseContentRetriever.CHUNK_INDEX);
        return doc != null && chunk != null ? doc + "#" + chunk : "text:" + content.textSegment().text();
    }
}
