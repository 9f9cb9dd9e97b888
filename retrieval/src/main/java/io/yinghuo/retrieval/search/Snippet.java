package io.yinghuo.retrieval.search;

import java.util.List;

/**
 * A short window of a chunk around its best matches.
 *
 * <p>Rendering rules: {@link #text()} is raw text and {@link #highlights()} are offsets into it, so a UI can build
 * its own elements without parsing markup. {@link #toHtml()} is the ready-made alternative: it escapes
 * {@code & < > " '} as HTML entities in every piece of text and wraps each match in {@code <mark>…</mark>}; nothing
 * else in its output is markup, so it is safe to insert as HTML.
 *
 * @param text the window's text (raw, unescaped)
 * @param chunkOffset where the window starts inside the chunk text
 * @param highlights matched spans relative to {@code text}, sorted and non-overlapping
 * @param truncatedStart whether chunk text precedes the window
 * @param truncatedEnd whether chunk text follows the window
 */
public record Snippet(String text, int chunkOffset, List<Highlight> highlights, boolean truncatedStart,
                      boolean truncatedEnd) {

    public Snippet {
        highlights = List.copyOf(highlights);
    }

    /** Escaped HTML with {@code <mark>} around matches, and "…" where the window cuts the chunk. */
    public String toHtml() {
        StringBuilder html = new StringBuilder(text.length() + highlights.size() * 13 + 2);
        if (truncatedStart) {
            html.append('…');
        }
        int at = 0;
        for (Highlight h : highlights) {
            escapeInto(html, text, at, h.start());
            html.append("<mark>");
            escapeInto(html, text, h.start(), h.end());
            html.append("</mark>");
            at = h.end();
        }
        escapeInto(html, text, at, text.length());
        if (truncatedEnd) {
            html.append('…');
        }
        return html.toString();
    }

    /** Plain text with each match between {@code open} and {@code close} (no escaping: for terminals). */
    public String marked(String open, String close) {
        StringBuilder out = new StringBuilder(text.length() + highlights.size() * (open.length() + close.length()));
        int at = 0;
        for (Highlight h : highlights) {
            out.append(text, at, h.start()).append(open).append(text, h.start(), h.end()).append(close);
            at = h.end();
        }
        out.append(text, at, text.length());
        return (truncatedStart ? "…" : "") + out + (truncatedEnd ? "…" : "");
    }

    static void escapeInto(StringBuilder out, String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
    }
}
