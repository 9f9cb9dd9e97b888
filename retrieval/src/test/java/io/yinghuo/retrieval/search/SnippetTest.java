package io.yinghuo.retrieval.search;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** How a snippet is shown: as safe HTML for a page, or marked plain text for a terminal. */
class SnippetTest {

    @Test
    void htmlEscapesEveryMarkupCharacterInsideAndOutsideMarks() {
        Snippet snippet = new Snippet("a<b>'c'&\"d\"", 0, List.of(new Highlight(1, 4)), false, false);
        assertEquals("a<mark>&lt;b&gt;</mark>&#39;c&#39;&amp;&quot;d&quot;", snippet.toHtml());
    }

    @Test
    void ellipsesShowWhereTheWindowCutsTheChunk() {
        Snippet both = new Snippet("故宫在北京", 40, List.of(new Highlight(0, 2)), true, true);
        assertEquals("…<mark>故宫</mark>在北京…", both.toHtml());
        assertEquals("…[故宫]在北京…", both.marked("[", "]"));
        Snippet endOnly = new Snippet("故宫在北京", 0, List.of(new Highlight(3, 5)), false, true);
        assertEquals("故宫在<mark>北京</mark>…", endOnly.toHtml());
        assertEquals("故宫在**北京**…", endOnly.marked("**", "**"));
        Snippet whole = new Snippet("故宫在北京", 0, List.of(), false, false);
        assertEquals("故宫在北京", whole.toHtml());
        assertEquals("故宫在北京", whole.marked("[", "]"));
    }

    @Test
    void everyMarkIsWrappedInTextOrder() {
        Snippet snippet = new Snippet("故宫在北京市中心", 0, List.of(new Highlight(0, 2), new Highlight(3, 5)),
                false, false);
        assertEquals("<mark>故宫</mark>在<mark>北京</mark>市中心", snippet.toHtml());
        assertEquals("\u001b[1m故宫\u001b[0m在\u001b[1m北京\u001b[0m市中心", snippet.marked("\u001b[1m", "\u001b[0m"));
    }

    @Test
    void aMarkCoversAtLeastOneCharacterFromOffsetZeroOn() {
        assertEquals(new Highlight(0, 1), new Highlight(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Highlight(3, 3));
        assertThrows(IllegalArgumentException.class, () -> new Highlight(3, 2));
        assertThrows(IllegalArgumentException.class, () -> new Highlight(-1, 2));
    }
}
