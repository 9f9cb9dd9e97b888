package io.yinghuo.ingest.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Assembles a parser's output into one text with exact page and section spans. Blocks (paragraphs, headings, table
 * rows) are separated by a single {@code \n}, and a block never contains blank lines, so every offset the parser
 * records is an offset into the final text. Headings are kept in the text (they are content users search for) and
 * open a section that runs until the next heading. A heading directly followed by another heading on the same page
 * ("第一章" then "第一节") opens no section of its own: it joins the next one, whose path names both. Otherwise a
 * file of nothing but headings would become one two-character chunk per heading (200,000 of them for 1.8 MB).
 */
final class DocumentTextBuilder {

    private final String fileName;
    private final int maxCharacters;
    private final StringBuilder text = new StringBuilder();
    private final List<ParsedDocument.PageSpan> pages = new ArrayList<>();
    private final List<ParsedDocument.Section> sections = new ArrayList<>();
    private final List<ParseWarning> warnings = new ArrayList<>();
    private final HeadingPath headingPath = new HeadingPath();
    private final List<ParsedDocument.OcrPage> ocrPages = new ArrayList<>();

    private String openSectionPath;
    private int openSectionStart;
    /** Where the open section's body starts (just after its heading), and on which page it opened. */
    private int openSectionBodyStart = -1;
    private int openSectionPage;
    private int openPage;
    private int openPageStart = -1;
    private String firstHeading;

    DocumentTextBuilder(String fileName, int maxCharacters) {
        this.fileName = fileName;
        this.maxCharacters = maxCharacters;
    }

    /** Appends a block; each non-blank line of it becomes a line of the text, stripped. */
    void paragraph(CharSequence block) {
        int length = block.length();
        int lineStart = 0;
        for (int i = 0; i <= length; i++) {
            if (i == length || block.charAt(i) == '\n') {
                appendLine(block, lineStart, i);
                lineStart = i + 1;
            }
        }
    }

    /**
     * Appends one line that has no line breaks and no surrounding whitespace (an OCR paragraph) and returns where
     * it starts in the text, so that the caller can place its words; -1 when the line is empty.
     */
    int line(String line) {
        if (line.isEmpty()) {
            return -1;
        }
        if (line.indexOf('\n') >= 0 || line.strip().length() != line.length()) {
            throw new IllegalArgumentException("not a single stripped line");
        }
        separate();
        int start = text.length();
        append(line, 0, line.length());
        return start;
    }

    /** Records the word boxes of a page whose text came from OCR. */
    void ocrPage(ParsedDocument.OcrPage page) {
        ocrPages.add(page);
    }

    /** Appends a heading as its own line and opens a section named by the heading path. */
    void heading(int level, String headingText) {
        String clean = collapseWhitespace(headingText);
        if (clean.isEmpty()) {
            return;
        }
        if (firstHeading == null) {
            firstHeading = clean;
        }
        boolean headingOnly = openSectionPath != null && text.length() == openSectionBodyStart
                && openSectionPage == openPage;
        if (!headingOnly) {
            closeSection();
        }
        separate();
        openSectionPath = headingPath.enter(level, clean);
        if (!headingOnly) {
            openSectionStart = text.length();
            openSectionPage = openPage;
        }
        append(clean, 0, clean.length());
        openSectionBodyStart = text.length();
    }

    /** Starts page {@code number} (from 1); call {@link #endPage()} after its blocks. */
    void startPage(int number) {
        openPage = number;
        openPageStart = -1;
    }

    void endPage() {
        int start = openPageStart < 0 ? text.length() : openPageStart;
        pages.add(new ParsedDocument.PageSpan(openPage, start, text.length()));
        openPageStart = -1;
    }

    void warn(ParseWarning warning) {
        warnings.add(warning);
    }

    int length() {
        return text.length();
    }

    String firstHeading() {
        return firstHeading;
    }

    /**
     * The finished document; formats without pages get one page spanning everything.
     *
     * @throws DocumentParseException {@link DocumentParseException.Reason#NO_TEXT} when nothing was appended
     */
    ParsedDocument build(String title, String format) throws DocumentParseException {
        return build(title, format, null);
    }

    /** As {@link #build(String, String)}, with a hint for the "no text" message, e.g. "OCR found none". */
    ParsedDocument build(String title, String format, String noTextHint) throws DocumentParseException {
        closeSection();
        if (text.toString().isBlank()) {
            throw new DocumentParseException(fileName, DocumentParseException.Reason.NO_TEXT,
                    "no text found in the document" + (noTextHint == null ? "" : " (" + noTextHint + ")"));
        }
        List<ParsedDocument.PageSpan> finalPages = pages.isEmpty()
                ? List.of(new ParsedDocument.PageSpan(1, 0, text.length())) : pages;
        String finalTitle = title == null || title.isBlank() ? FileNames.stem(fileName) : title.strip();
        return new ParsedDocument(text.toString(), finalTitle, format, finalPages, sections, warnings, ocrPages);
    }

    private void appendLine(CharSequence block, int from, int to) {
        while (from < to && Character.isWhitespace(block.charAt(from))) {
            from++;
        }
        while (to > from && Character.isWhitespace(block.charAt(to - 1))) {
            to--;
        }
        if (from == to) {
            return;
        }
        separate();
        append(block, from, to);
    }

    private void separate() {
        if (text.length() > 0) {
            text.append('\n');
        }
        if (openPage > 0 && openPageStart < 0) {
            openPageStart = text.length();
        }
    }

    private void append(CharSequence s, int from, int to) {
        ParseBudget.checkCurrent();
        if ((long) text.length() + (to - from) > maxCharacters) {
            throw new TextLimitExceededException(maxCharacters);
        }
        text.append(s, from, to);
    }

    private void closeSection() {
        if (openSectionPath != null) {
            sections.add(new ParsedDocument.Section(openSectionPath, openSectionStart, text.length()));
            openSectionPath = null;
        }
    }

    /**
     * Runs of whitespace (incl. line breaks and no-break spaces) to one space, stripped; a run that holds a line
     * break between two Chinese characters disappears (a cell or heading wrapped inside a Chinese word).
     */
    static String collapseWhitespace(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean space = false;
        boolean lineBreak = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == '\u00A0' || c == '\u3000') {
                space = out.length() > 0;
                lineBreak |= c == '\n' || c == '\r';
            } else {
                if (space && !(lineBreak && CjkText.isCjk(Character.codePointBefore(out, out.length()))
                        && CjkText.isCjk(Character.codePointAt(s, i)))) {
                    out.append(' ');
                }
                space = false;
                lineBreak = false;
                out.append(c);
            }
        }
        return out.toString();
    }
}
