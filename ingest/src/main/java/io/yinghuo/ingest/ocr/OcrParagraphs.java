package io.yinghuo.ingest.ocr;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a page's words into paragraphs of running text, the way the text parsers join printed lines: no space
 * between two Chinese characters (Tesseract reports Chinese as many short "words", and a line break inside a
 * Chinese sentence is not a word boundary), one space between Latin words, and a hyphen that splits a lower-case
 * English word at a line end removed, and opening brackets and name interpuncts misread as other marks put back
 * ({@link BracketRepair}, {@link InterpunctRepair}).
 * Tesseract's paragraphs (block and par_num) become paragraphs, except where its break falls on a line that runs to
 * the text's right edge without ending a sentence and the next line starts flush left, not indented: that is a line
 * wrap Tesseract's layout analysis took for a paragraph end (it splits, for example, 梦露街441号 after 梦露 on
 * a full page), and a passage split there loses the sentence. Every word keeps
 * where its text lies in its paragraph, so that a viewer can map a text span back to boxes on the page.
 */
public final class OcrParagraphs {

    /** One paragraph: a single line of text, and each word's [start, end) in it. */
    public record Paragraph(String text, List<Placed> words) {
    }

    /** A word and where its text is in the paragraph. */
    public record Placed(int start, int end, RecognisedWord word) {
    }

    private OcrParagraphs() {
    }

    public static List<Paragraph> of(RecognisedPage page) {
        List<Paragraph> paragraphs = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        List<Placed> placed = new ArrayList<>();
        RecognisedWord previous = null;
        int left = Integer.MAX_VALUE;
        int right = Integer.MIN_VALUE;
        for (RecognisedWord word : page.words()) {
            left = Math.min(left, word.x());
            right = Math.max(right, word.x() + word.width());
        }
        for (RecognisedWord word : page.words()) {
            if (previous != null && !word.sameParagraph(previous) && !wrapsOnto(previous, word, left, right)) {
                paragraphs.add(new Paragraph(InterpunctRepair.repair(BracketRepair.repair(text.toString())), List.copyOf(placed)));
                text.setLength(0);
                placed.clear();
                previous = null;
            }
            String w = word.text();
            if (previous != null) {
                boolean newLine = !word.sameLine(previous);
                int before = Character.codePointBefore(text, text.length());
                int after = w.codePointAt(0);
                if ((isCjk(before) && isCjk(after)) || isFullWidthPunctuation(before)
                        || isFullWidthPunctuation(after) || (isCjk(before) && InterpunctRepair.isMisread(after))
                        || (InterpunctRepair.isMisread(before) && text.length() >= 2
                            && isCjk(Character.codePointBefore(text, text.length() - 1)) && isCjk(after))) {
                    // Chinese runs on, within a line or across one; "，Python" needs no space either, nor a misread
                    // interpunct between Chinese characters (InterpunctRepair then puts the "·" back)
                } else if (newLine && before == '-' && text.length() >= 2
                        && Character.isLowerCase(text.charAt(text.length() - 2)) && Character.isLowerCase(after)) {
                    text.setLength(text.length() - 1);
                    Placed last = placed.remove(placed.size() - 1);
                    placed.add(new Placed(last.start(), last.end() - 1, last.word()));
                } else {
                    text.append(' ');
                }
            }
            int start = text.length();
            text.append(w);
            placed.add(new Placed(start, text.length(), word));
            previous = word;
        }
        if (!placed.isEmpty()) {
            paragraphs.add(new Paragraph(InterpunctRepair.repair(BracketRepair.repair(text.toString())), List.copyOf(placed)));
        }
        return paragraphs;
    }

    /**
     * Whether {@code next}, which Tesseract puts in a new paragraph, continues the line that ends with {@code last}:
     * that line reaches the text's right edge (within one and a half character heights, a character of Chinese
     * print being about as wide as it is tall), does not end with a sentence's or a quotation's closing mark, and the
     * next line starts below it at the left edge (a new paragraph in Chinese print is indented by two characters).
     */
    static boolean wrapsOnto(RecognisedWord last, RecognisedWord next, int left, int right) {
        int height = Math.max(1, last.height());
        boolean reachesRight = last.x() + last.width() >= right - 1.5 * height;
        boolean below = next.y() >= last.y() + height / 2;
        boolean flushLeft = next.x() <= left + 0.8 * height;
        String text = last.text();
        return reachesRight && below && flushLeft && !text.isEmpty()
                && !ENDS.contains(Character.toString(text.codePointBefore(text.length())));
    }

    /** Marks that end a sentence or close a quotation, after which a paragraph may end at the right edge. */
    private static final String ENDS = "。！？；：.!?;:」』”’）)】";

    /** "，。、；：？！（）《》「」" and the like: they carry their own spacing. */
    static boolean isFullWidthPunctuation(int c) {
        return (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20)
                || (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65);
    }

    /** Han, CJK punctuation, kana and full-width forms: the characters written without spaces between them. */
    static boolean isCjk(int c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x3000 && c <= 0x30FF)
                || (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF);
    }
}
