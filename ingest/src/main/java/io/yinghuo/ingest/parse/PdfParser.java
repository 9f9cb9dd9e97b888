package io.yinghuo.ingest.parse;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * PDF via PDFBox with real page numbers: each page's text becomes one {@link ParsedDocument.PageSpan} (pages from 1).
 * PDFBox's paragraph detection separates paragraphs; lines inside a paragraph are joined (no space between Chinese
 * characters, de-hyphenated English), so sentences are not broken at every printed line. A PDF with only an owner
 * password opens (PDFBox tries the empty user password); one that needs a user password is refused as encrypted.
 * Pages without text (scans) are listed in a warning; a PDF with no text at all is refused.
 */
public final class PdfParser implements DocumentParser {

    private static final char PARAGRAPH = '\u2029';

    private final int maxCharacters;

    public PdfParser(ParseLimits limits) {
        this.maxCharacters = limits.maxCharacters();
    }

    @Override
    public String format() {
        return "pdf";
    }

    @Override
    public ParsedDocument parse(String fileName, byte[] bytes) throws DocumentParseException {
        try (PDDocument pdf = Loader.loadPDF(bytes)) {
            PageTextStripper stripper = new PageTextStripper(maxCharacters);
            stripper.writeText(pdf, new StringWriter());
            DocumentTextBuilder out = new DocumentTextBuilder(fileName, maxCharacters);
            List<Integer> emptyPages = new ArrayList<>();
            int pageCount = pdf.getNumberOfPages();
            for (int i = 0; i < pageCount; i++) {
                out.startPage(i + 1);
                int before = out.length();
                // PDFBox skips pages without a content stream: those stay absent from the map.
                String raw = stripper.pages.getOrDefault(i + 1, "");
                for (String paragraph : raw.split(String.valueOf(PARAGRAPH))) {
                    out.paragraph(CjkText.joinLines(paragraph));
                }
                if (out.length() == before) {
                    emptyPages.add(i + 1);
                }
                out.endPage();
            }
            if (!emptyPages.isEmpty() && emptyPages.size() < pageCount) {
                out.warn((emptyPages.size() == 1 ? "page " : "pages ") + ranges(emptyPages)
                        + (emptyPages.size() == 1 ? " has" : " have")
                        + " no extractable text (scanned images? OCR is not supported)");
            }
            String title = pdf.getDocumentInformation() == null ? null : pdf.getDocumentInformation().getTitle();
            return out.build(usableTitle(title), format());
        } catch (InvalidPasswordException e) {
            throw new DocumentParseException(fileName, DocumentParseException.Reason.ENCRYPTED,
                    "the PDF is encrypted (password protected)", e);
        } catch (IOException e) {
            throw new DocumentParseException(fileName, DocumentParseException.Reason.CORRUPT,
                    "the PDF is damaged or not a PDF, it cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** Producer-generated titles such as "Microsoft Word - x.docx" or "untitled" say nothing. */
    private static String usableTitle(String title) {
        if (title == null || title.isBlank()) {
            return null;
        }
        String t = title.strip();
        if (t.startsWith("Microsoft Word - ") || t.equalsIgnoreCase("untitled") || t.matches("(?i).*\\.(docx?|pdf)")) {
            return null;
        }
        return t;
    }

    /** "3, 5-7" for [3, 5, 6, 7]. */
    static String ranges(List<Integer> numbers) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < numbers.size(); ) {
            int j = i;
            while (j + 1 < numbers.size() && numbers.get(j + 1) == numbers.get(j) + 1) {
                j++;
            }
            if (s.length() > 0) {
                s.append(", ");
            }
            s.append(numbers.get(i));
            if (j > i) {
                s.append('-').append(numbers.get(j));
            }
            i = j + 1;
        }
        return s.toString();
    }

    /** Collects each page's raw text separately (from the shared writer), with paragraph starts marked. */
    private static final class PageTextStripper extends PDFTextStripper {

        final java.util.Map<Integer, String> pages = new java.util.HashMap<>();
        private final int maxCharacters;
        private int pageStart;

        PageTextStripper(int maxCharacters) {
            this.maxCharacters = maxCharacters;
            setLineSeparator("\n");
            setParagraphStart(String.valueOf(PARAGRAPH));
            setParagraphEnd("");
            setPageStart("");
            setPageEnd("");
        }

        @Override
        protected void startPage(PDPage p) throws IOException {
            output.flush();
            pageStart = buffer().length();
        }

        @Override
        protected void endPage(PDPage p) throws IOException {
            output.flush();
            StringBuffer all = buffer();
            if (all.length() > maxCharacters) {
                throw new TextLimitExceededException(maxCharacters);
            }
            pages.put(getCurrentPageNo(), all.substring(pageStart));
        }

        private StringBuffer buffer() {
            return ((StringWriter) output).getBuffer();
        }
    }
}
