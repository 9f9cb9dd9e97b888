package io.yinghuo.retrieval.rag;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.rag.content.Content;
import io.yinghuo.retrieval.langchain4j.ChineseContentRetriever;
import io.yinghuo.retrieval.search.SearchHit;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a numbered passage tells a caller about its source, and what it says when the retriever did not say. */
class EvidenceTest {

    @Test
    void readsTheCitationFieldsTheRetrieverWrote() {
        Metadata metadata = new Metadata()
                .put(ChineseContentRetriever.DOCUMENT_ID, "river")
                .put(ChineseContentRetriever.FILE_NAME, "长江.pdf")
                .put(ChineseContentRetriever.TITLE, "长江")
                .put(ChineseContentRetriever.COLLECTION, "地理")
                .put(ChineseContentRetriever.HEADING_PATH, "第一章 > 概况")
                .put(ChineseContentRetriever.PAGE, 3)
                .put(ChineseContentRetriever.START_OFFSET, 120)
                .put(ChineseContentRetriever.END_OFFSET, 150)
                .put(ChineseContentRetriever.CHUNK_INDEX, 4)
                .put(ChineseContentRetriever.SCORE, 2.5)
                .put(ChineseContentRetriever.RETRIEVAL, SearchHit.HYBRID)
                .put(ChineseContentRetriever.SIMILARITY, 0.75);
        Evidence e = new Evidence(2, 1, Content.from(TextSegment.from("长江是中国第一长河。", metadata)));
        assertEquals("长江是中国第一长河。", e.text());
        assertEquals("river", e.docId());
        assertEquals("长江.pdf", e.fileName());
        assertEquals("长江", e.title());
        assertEquals("地理", e.collection());
        assertEquals("第一章 > 概况", e.headingPath());
        assertEquals(3, e.page());
        assertEquals(120, e.start());
        assertEquals(150, e.end());
        assertEquals(4, e.chunkIndex());
        assertEquals(2.5, e.score());
        assertEquals(SearchHit.HYBRID, e.retrieval());
        assertEquals(0.75f, e.similarity());

        SearchHit hit = e.hit();
        assertEquals("river", hit.docId());
        assertEquals("地理", hit.collection());
        assertEquals("长江.pdf", hit.fileName());
        assertEquals("长江", hit.title());
        assertEquals(4, hit.chunkIndex());
        assertEquals(3, hit.page());
        assertEquals("第一章 > 概况", hit.headingPath());
        assertEquals(120, hit.start());
        assertEquals(150, hit.end());
        assertEquals("长江是中国第一长河。", hit.text());
        assertEquals(2.5f, hit.score());
        assertEquals(List.of(), hit.highlights());
        assertEquals(SearchHit.HYBRID, hit.retrieval());
        assertEquals(0.75f, hit.similarity());
    }

    @Test
    void fieldsTheRetrieverDidNotWriteReadAsUnknown() {
        Evidence e = new Evidence(1, 0, Content.from("一段没有来源信息的文字。"));
        assertEquals("", e.docId());
        assertEquals("", e.fileName());
        assertEquals("", e.title());
        assertEquals("", e.collection());
        assertEquals("", e.headingPath());
        assertEquals(0, e.page(), "no page");
        assertEquals(-1, e.start(), "offsets unknown");
        assertEquals(-1, e.end());
        assertEquals(-1, e.chunkIndex());
        assertEquals(0.0, e.score());
        assertEquals(SearchHit.LEXICAL, e.retrieval(), "ranked by keywords unless the retriever says otherwise");
        assertTrue(Float.isNaN(e.similarity()), "no vector similarity");
        assertTrue(Float.isNaN(e.hit().similarity()));
        assertEquals(-1, e.hit().start());
    }

    @Test
    void citationNumbersStartAtOne() {
        Content content = RagTestData.passage("a", 0, "长江。");
        assertEquals(1, new Evidence(1, 0, content).number());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Evidence(0, 0, content));
        assertEquals("evidence numbers start at 1, got 0", e.getMessage());
        assertThrows(NullPointerException.class, () -> new Evidence(1, 0, null));
    }

    @Test
    void aPassageIsKnownByDocumentAndChunkOrElseByItsText() {
        assertEquals("a#3", Evidence.key(RagTestData.passage("a", 3, "长江。")));
        assertEquals(Evidence.key(RagTestData.passage("a", 3, "长江。")),
                Evidence.key(RagTestData.passage("a", 3, "不同的文字")), "the same chunk whatever its text");
        assertNotEquals(Evidence.key(RagTestData.passage("a", 3, "长江。")),
                Evidence.key(RagTestData.passage("b", 3, "长江。")));
        assertEquals("text:长江。", Evidence.key(Content.from("长江。")));
        Content documentOnly = Content.from(TextSegment.from("长江。",
                new Metadata().put(ChineseContentRetriever.DOCUMENT_ID, "a")));
        assertEquals("text:长江。", Evidence.key(documentOnly), "without a chunk number the text decides");
        Content chunkOnly = Content.from(TextSegment.from("长江。",
                new Metadata().put(ChineseContentRetriever.CHUNK_INDEX, 3)));
        assertEquals("text:长江。", Evidence.key(chunkOnly), "without a document the text decides");
    }
}
