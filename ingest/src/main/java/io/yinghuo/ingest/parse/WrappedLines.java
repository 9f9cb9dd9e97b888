package io.yinghuo.ingest.parse;

/**
 * Undoes paragraph breaks that PDFBox's paragraph detection puts between the wrapped lines of one Chinese paragraph
 * (it does so when the line spacing is loose, as in Chromium's print of a page with line-height 1.6, which gave every
 * printed line a paragraph of its own). A break is undone when the line before it fills the page's width (Chinese
 * is set on a grid, so full lines hold the same number of characters, give or take two where punctuation is compressed or hangs), ends
 * with a Chinese character other than a sentence end, and the next line starts with a Chinese character. A heading
 * or the last line of a paragraph is shorter, so it keeps its break.
 */
final class WrappedLines {

    private static final char PARAGRAPH = '\u2029';
    private static final String SENTENCE_ENDS = "。！？!?：:；;」』”）)";

    private WrappedLines() {
    }

    /** Raw page text ("\n"-separated lines, paragraph starts marked with U+2029) with false paragraph starts removed. */
    static String rejoin(String raw) {
        String[] lines = raw.split("\n", -1);
        int widest = 0;
        for (String line : lines) {
            widest = Math.max(widest, OcrPageWriter.visibleCharacters(line));
        }
        if (widest < 10) {
            return raw;
        }
        String previous = null;
        for (int i = 0; i < lines.length; i++) {
            String bare = lines[i].replace(PARAGRAPH, ' ').strip();
            if (bare.isEmpty()) {
                continue;
            }
            if (previous != null && lines[i].indexOf(PARAGRAPH) >= 0
                    && OcrPageWriter.visibleCharacters(previous) >= widest - 2) {
                int last = previous.codePointBefore(previous.length());
                int first = bare.codePointAt(0);
                if (CjkText.isCjk(last) && CjkText.isCjk(first) && SENTENCE_ENDS.indexOf(last) < 0) {
                    lines[i] = lines[i].replace(String.valueOf(PARAGRAPH), "");
                }
            }
            previous = bare;
        }
        return String.join("\n", lines);
    }
}
