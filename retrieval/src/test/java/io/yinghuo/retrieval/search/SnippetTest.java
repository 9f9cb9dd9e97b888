package io.yinghuo.retrieval.search;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** How a snippet renders for a page and for a terminal. */
class SnippetTest {

    @Test
    void htmlEscapesEveryPieceOfTextAndMarksTheMatches() {
        String text = "a&b<长江>\"c'";
        Snippet snippet = new Snippet(text, 0, List.of(new Highlight(3, 8)), false, false);
        assertEquals("a&amp;b<mark>&lt;长江&gt;&quot;</mark>c&#39;", snippet.toHtml());
        assertEquals("&lt;&gt;", new Snippet("<>", 0, List.of(), false, false).toHtml());
    }

    @Test
    void cutMarksShowWhereTheWindowCutsTheChunk() {
        Snippet both = new Snippet("长江是中国第一长河", 10, List.of(new Highlight(0, 2), new Highlight(5, 7)), true, true);
        assertEquals("…<mark>长江</mark>是中国<mark>第一</mark>长河…", both.toHtml());
        assertEquals("…[长江]是中国[第一]长河…", both.marked("[", "]"));
        Snippet whole = new Snippet("长江是中国第一长河", 0, List.of(new Highlight(7, 9)), false, false);
        assertEquals("长江是中国第一<mark>长河</mark>", whole.toHtml());
        assertEquals("长江是中国第一\u001b[1m长河\u001b[0m", whole.marked("\u001b[1m", "\u001b[0m"));
        assertEquals("…长江", new Snippet("长江", 3, List.of(), true, false).marked("[", "]"));
        assertEquals("长江…", new Snippet("长江", 0, List.of(), false, true).toHtml());
    }

    @Test
    void theHighlightsCannotBeChangedAndAnEmptyOrBackwardSpanIsRefused() {
        Snippet snippet = new Snippet("长江", 0, new java.util.ArrayList<>(List.of(new Highlight(0, 1))), false, false);
        assertThrows(UnsupportedOperationException.class, () -> snippet.highlights().clear());
        assertEquals("bad highlight [1, 1)",
                assertThrows(IllegalArgumentException.class, () -> new Highlight(1, 1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Highlight(-1, 2));
        assertEquals(new Highlight(0, 1), snippet.highlights().get(0));
    }

    @Test
    void terminalMarkersLongerThanTheTextWrapEveryMarkInTextOrder() {
        Snippet snippet = new Snippet("故宫在北京市中心", 0, List.of(new Highlight(0, 2), new Highlight(3, 5)),
                false, false);
        assertEquals("<mark>故宫</mark>在<mark>北京</mark>市中心", snippet.toHtml());
        assertEquals("\u001b[1m故宫\u001b[0m在\u001b[1m北京\u001b[0m市中心", snippet.marked("\u001b[1m", "\u001b[0m"));
    }
}
