package io.yinghuo.retrieval.search;

import io.yinghuo.retrieval.TestIndexes;
import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.index.IndexProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChunkSearcherTest {

    @TempDir
    static Path dir;
    static ChunkIndex index;
    static ChunkSearcher searcher;

    @BeforeAll
    static void build() throws IOException {
        index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID);
        TestIndexes.put(index, "taiwan", "geo", "臺灣地理",
                "臺灣位於東亞，島上的最高峰是玉山，海拔三千九百五十二公尺。",
                "臺北是臺灣最大的都市，擁有許多大學與博物館。");
        TestIndexes.put(index, "beijing", "geo", "北京",
                "北京是中华人民共和国的首都，故宫位于北京市中心。",
                "长城在北京北部，是著名的旅游景点。");
        TestIndexes.put(index, "html", "tech", "标记语言",
                "HTML 的 <b> 标签 & \"引号\" 表示加粗，浏览器会把它渲染成粗体字。");
        TestIndexes.put(index, "long", "tech", "长文",
                "开头是一些无关的话。".repeat(20) + "量子计算机利用量子比特进行运算。" + "结尾也是无关的话。".repeat(20));
        searcher = new ChunkSearcher(index);
    }

    @AfterAll
    static void close() throws IOException {
        index.close();
    }

    @Test
    void simplifiedQuestionFindsTraditionalTextAndBack() throws IOException {
        SearchHit hit = searcher.search(SearchRequest.of("台湾最高峰是哪座山？", 3)).get(0);
        assertEquals("taiwan", hit.docId());
        assertEquals(0, hit.chunkIndex());
        assertTrue(hit.text().contains("玉山"));

        SearchHit back = searcher.search(SearchRequest.of("長城在哪裡？", 3)).get(0);
        assertEquals("beijing", back.docId());
        assertEquals(1, back.chunkIndex());
    }

    @Test
    void hitsCarryCitationFields() throws IOException {
        SearchHit hit = searcher.search(SearchRequest.of("故宫", 1)).get(0);
        assertEquals("beijing", hit.docId());
        assertEquals("geo", hit.collection());
        assertEquals("beijing.txt", hit.fileName());
        assertEquals("北京", hit.title());
        assertEquals(1, hit.page());
        assertEquals("", hit.headingPath());
        assertEquals(0, hit.start());
        assertEquals(hit.text().length(), hit.end());
        assertTrue(hit.score() > 0);
    }

    @Test
    void filtersByDocumentAndCollection() throws IOException {
        assertEquals(Set.of("beijing"), docs(searcher.search(SearchRequest.of("北京 台湾 标签", 10)
                .withDocIds(List.of("beijing")))));
        assertEquals(Set.of("html", "long"), docs(searcher.search(SearchRequest.of("北京 台湾 标签 量子", 10)
                .withCollections(List.of("tech")))));
        assertTrue(searcher.search(SearchRequest.of("北京", 10).withCollections(List.of("nope"))).isEmpty());
        List<SearchHit> all = searcher.search(SearchRequest.of("北京", 10));
        assertTrue(all.size() > 1, all.toString());
        assertEquals(1.0f, all.get(0).score(), "the first hit of a keyword search scores 1");
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i).score() < all.get(i - 1).score() && all.get(i).score() > 0, all.toString());
            assertEquals(SearchHit.LEXICAL, all.get(i).retrieval());
            assertTrue(Float.isNaN(all.get(i).similarity()));
        }
        assertEquals(List.of(all.get(0).docId()), searcher.search(SearchRequest.of("北京", 10).withMinScore(0.99))
                .stream().map(SearchHit::docId).toList());
        assertTrue(searcher.search(SearchRequest.of("？！。", 10)).isEmpty());
    }

    @Test
    void highlightsMarkMatchedTermsAtOriginalOffsets() throws IOException {
        SearchHit hit = searcher.search(SearchRequest.of("台北的大学", 1)).get(0);
        assertEquals("taiwan", hit.docId());
        List<String> marked = hit.highlights().stream().map(h -> hit.text().substring(h.start(), h.end())).toList();
        assertTrue(marked.contains("臺北"), marked.toString());
        assertTrue(marked.contains("大學"), marked.toString());
        assertFalse(marked.contains("的"), "a lone particle is not marked: " + marked);
        assertTrue(hit.snippet().marked("[", "]").contains("[臺北]"));
    }

    @Test
    void snippetHtmlIsEscaped() throws IOException {
        SearchHit hit = searcher.search(SearchRequest.of("标签加粗", 1)).get(0);
        String html = hit.snippet().toHtml();
        assertTrue(html.contains("&lt;b&gt;"), html);
        assertTrue(html.contains("&amp;"), html);
        assertTrue(html.contains("&quot;"), html);
        assertTrue(html.contains("<mark>标签</mark>"), html);
        assertFalse(html.replace("<mark>", "").replace("</mark>", "").contains("<"), html);
    }

    @Test
    void longChunkGetsAWindowAroundTheMatch() throws IOException {
        SearchHit hit = searcher.search(SearchRequest.of("量子比特", 1)).get(0);
        Snippet snippet = hit.snippet();
        assertTrue(snippet.text().length() <= 160);
        assertTrue(snippet.text().contains("量子比特"));
        assertTrue(snippet.truncatedStart() && snippet.truncatedEnd());
        assertEquals(hit.text().substring(snippet.chunkOffset(), snippet.chunkOffset() + snippet.text().length()),
                snippet.text());
        assertTrue(snippet.toHtml().startsWith("…"));
    }

    @Test
    void compoundQuestionGetsEveryPartIntoTheTopResults() throws IOException {
        List<SearchHit> hits = searcher.search(SearchRequest.of("玉山海拔多少公尺？另外，故宫位于哪里？", 2));
        assertEquals(Set.of("taiwan", "beijing"), docs(hits));
    }

    @Test
    void snippetsCanBeTurnedOff() throws IOException {
        SearchHit hit = searcher.search(SearchRequest.of("故宫", 1).withSnippets(false)).get(0);
        assertTrue(hit.highlights().isEmpty());
        assertNull(hit.snippet());
    }

    @Test
    void aHighlighterMarksPassagesAlreadyRetrievedAsTheSearchWould() throws IOException {
        String question = "台北的大学";
        SearchHit marked = searcher.search(SearchRequest.of(question, 1)).get(0);
        SearchHit plain = searcher.search(SearchRequest.of(question, 1).withSnippets(false)).get(0);
        assertEquals(marked, searcher.highlighter(question).mark(plain));
    }

    @Test
    void aWordTheQuestionRepeatsWeighsMore() throws IOException {
        assertEquals("taiwan", searcher.search(SearchRequest.of("北京 台湾 台湾 台湾", 1)).get(0).docId());
        assertEquals("beijing", searcher.search(SearchRequest.of("台湾 北京 北京 北京", 1)).get(0).docId());
    }

    @Test
    void aPastedPageOfTextIsSearchedNotRefused() throws IOException {
        // over a thousand distinct words and bigrams: past Lucene's limit of 1024 clauses were each one a clause
        StringBuilder page = new StringBuilder("故宫位于北京市中心");
        for (char c = '\u4e00'; c < '\u4e00' + 1100; c++) {
            page.append(c);
        }
        List<SearchHit> hits = searcher.search(SearchRequest.of(page.toString(), 3));
        assertEquals("beijing", hits.get(0).docId(), "the words before the cut still count");
    }

    private static Set<String> docs(List<SearchHit> hits) {
        return Set.copyOf(ChunkSearcher.documentIds(hits));
    }
    @Test
    void aQueryWithNothingToLookForFindsNothing() throws IOException {
        assertTrue(searcher.search(SearchRequest.of("？！。。。", 5)).isEmpty());
        assertTrue(searcher.search(SearchRequest.of("   ", 5)).isEmpty());
    }
    @Test
    void aCompoundQuestionStillGetsNoMoreThanTheResultsAskedFor() throws IOException {
        String compound = "玉山海拔多少公尺？另外，故宫位于哪里？";
        assertEquals(1, searcher.search(SearchRequest.of(compound, 1)).size());
        assertEquals(2, searcher.search(SearchRequest.of(compound, 2)).size());
        // One part finds a single passage, the other several: the longer ranking fills the rest.
        List<SearchHit> uneven = searcher.search(SearchRequest.of("量子比特？另外，北京和长城在哪里？", 3));
        assertEquals(3, uneven.size(), uneven.toString());
        assertEquals("long", uneven.get(0).docId());
        assertEquals(Set.of("long", "beijing"), docs(uneven));
    }
}
