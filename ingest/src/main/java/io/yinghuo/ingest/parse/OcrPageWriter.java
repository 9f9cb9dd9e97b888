package io.yinghuo.ingest.parse;

import io.yinghuo.ingest.ocr.OcrParagraphs;
import io.yinghuo.ingest.ocr.RecognisedPage;
import io.yinghuo.ingest.ocr.RecognisedWord;

import java.util.ArrayList;
import java.util.List;

/**
 * Puts a recognised page into the document: its paragraphs as lines of the page's text, and its words' boxes,
 * converted from image pixels to the page's unit, with their offsets in the final text.
 */
final class OcrPageWriter {

    private OcrPageWriter() {
    }

    /**
     * Appends the page's paragraphs (between the caller's startPage and endPage) and records its boxes.
     *
     * @param unitsPerPixel page units per pixel of the recognised image (72 / dpi for a rendered PDF page)
     * @return the number of characters appended
     */
    static int write(DocumentTextBuilder out, int pageNumber, RecognisedPage page, double unitsPerPixel,
                     float pageWidth, float pageHeight, String unit) {
        int before = out.length();
        List<ParsedDocument.WordBox> boxes = new ArrayList<>();
        for (OcrParagraphs.Paragraph paragraph : OcrParagraphs.of(page)) {
            int start = out.line(paragraph.text());
            if (start < 0) {
                continue;
            }
            for (OcrParagraphs.Placed placed : paragraph.words()) {
                RecognisedWord w = placed.word();
                boxes.add(new ParsedDocument.WordBox(start + placed.start(), start + placed.end(),
                        (float) (w.x() * unitsPerPixel), (float) (w.y() * unitsPerPixel),
                        (float) (w.width() * unitsPerPixel), (float) (w.height() * unitsPerPixel)));
            }
        }
        out.ocrPage(new ParsedDocument.OcrPage(pageNumber, pageWidth, pageHeight, unit, boxes));
        return out.length() - before;
    }

    /** Characters that are not whitespace: how much text a page layer or a recognition holds. */
    static int visibleCharacters(CharSequence s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isWhitespace(s.charAt(i)) && s.charAt(i) != '\u2029') {
                n++;
            }
        }
        return n;
    }

    static int visibleCharacters(RecognisedPage page) {
        int n = 0;
        for (RecognisedWord word : page.words()) {
            n += visibleCharacters(word.text());
        }
        return n;
    }
}
