package io.yinghuo.ingest.parse;

import io.yinghuo.ingest.ocr.OcrEngine;
import io.yinghuo.ingest.ocr.OcrException;
import io.yinghuo.ingest.ocr.RecognisedPage;
import io.yinghuo.ingest.ocr.RecognitionResolution;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.pdmodel.graphics.PDXObject;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.rendering.PageDrawer;
import org.apache.pdfbox.rendering.PageDrawerParameters;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * PDF via PDFBox with real page numbers: each page's text becomes one {@link ParsedDocument.PageSpan} (pages from 1).
 * PDFBox's paragraph detection separates paragraphs; lines inside a paragraph are joined (no space between Chinese
 * characters, de-hyphenated English), so sentences are not broken at every printed line. A PDF with only an owner
 * password opens (PDFBox tries the empty user password); one that needs a user password is refused as encrypted.
 * Running headers, footers and page numbers are dropped ({@link RunningHeaders}), and wrapped Chinese lines that
 * PDFBox took for paragraphs are joined again ({@link WrappedLines}).
 *
 * <p>Scans: a page with fewer than {@value #SCANNED_BELOW} characters of text that shows an image is rendered
 * with PDFBox's {@link PDFRenderer} at {@link #OCR_DPI} in grey (lower where the page would exceed
 * {@link ParseLimits#ocrMaxPixels()}), with image subsampling allowed so that a huge embedded image is decoded at
 * the resolution it is drawn at (https://pdfbox.apache.org/docs/3.0.x/javadocs/, PDFRenderer#setSubsamplingAllowed),
 * and read by the {@link OcrEngine}; its text replaces the page's text layer when it holds more. At most
 * {@link ParseLimits#ocrMaxPages()} pages of a document are recognised. A page that cannot be rendered or
 * recognised (a broken image, a timeout) keeps its text layer and is named in a warning. Without an OCR engine, a
 * PDF that is only scans is refused as {@link DocumentParseException.Reason#OCR_UNAVAILABLE}; one with some text
 * keeps it and says which pages went unread. Pages without text and without images are blank: not recognised.
 */
public final class PdfParser implements DocumentParser {

    private static final char PARAGRAPH = '\u2029';
    /** A page with less text than this may be a scan with a stamp ("扫描全能王", a page number) on it. */
    static final int SCANNED_BELOW = 20;
    /**
     * Rendered at the resolution the engine recognises at (TesseractCommand scales larger images down to it, 200
     * dpi by default, where Chinese print reads best; drawing at 300 only to scale down would cost twice the pixels).
     */
    static final int OCR_DPI = RecognitionResolution.DPI;

    private final int maxCharacters;
    private final ParseLimits limits;
    private final OcrEngine engine;

    public PdfParser(ParseLimits limits) {
        this(limits, OcrEngine.unavailable("OCR is unavailable: no OCR engine was configured"));
    }

    public PdfParser(ParseLimits limits, OcrEngine engine) {
        this.maxCharacters = limits.maxCharacters();
        this.limits = limits;
        this.engine = engine;
    }

    @Override
    public String format() {
        return "pdf";
    }

    @Override
    public ParsedDocument parse(String fileName, byte[] bytes) throws DocumentParseException {
        return parse(fileName, bytes, OcrProgress.NONE);
    }

    @Override
    public ParsedDocument parse(String fileName, byte[] bytes, OcrProgress progress) throws DocumentParseException {
        try (PDDocument pdf = Loader.loadPDF(bytes)) {
            PdfPageTree.Count count = PdfPageTree.check(fileName, pdf);
            List<PDPage> pages = new ArrayList<>(count.pages());
            for (PDPage page : pdf.getPages()) {
                pages.add(page);
            }
            PageTextStripper stripper = new PageTextStripper(maxCharacters);
            stripper.writeText(pdf, new StringWriter());
            DocumentTextBuilder out = new DocumentTextBuilder(fileName, maxCharacters);
            if (count.declaredWrongly()) {
                out.warn(ParseWarning.pdfPagesMissing(count.declared(), pages.size()));
            }
            int pageCount = pages.size();
            List<String> layers = new ArrayList<>(pageCount);
            List<Integer> scanned = new ArrayList<>();
            for (int i = 0; i < pageCount; i++) {
                // PDFBox skips pages without a content stream: those stay absent from the map.
                String raw = stripper.pages.getOrDefault(i + 1, "");
                layers.add(raw);
                if (OcrPageWriter.visibleCharacters(raw) < SCANNED_BELOW && showsImage(pages.get(i))) {
                    scanned.add(i + 1);
                }
            }
            layers = RunningHeaders.remove(layers);
            String unavailable = scanned.isEmpty() ? null : engine.unavailableReason();
            List<Integer> toRecognise = unavailable != null ? List.of()
                    : scanned.subList(0, Math.min(scanned.size(), limits.ocrMaxPages()));
            if (unavailable != null && layers.stream().allMatch(l -> OcrPageWriter.visibleCharacters(l) == 0)) {
                throw new DocumentParseException(fileName, DocumentParseException.Reason.OCR_UNAVAILABLE,
                        "the PDF is scanned and needs text recognition: " + unavailable);
            }
            PDFRenderer renderer = new BudgetedRenderer(pdf);
            renderer.setSubsamplingAllowed(true);
            List<Integer> emptyPages = new ArrayList<>();
            List<Integer> unreadable = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            int recognised = 0;
            for (int i = 0; i < pageCount; i++) {
                out.startPage(i + 1);
                int before = out.length();
                boolean done = false;
                if (toRecognise.contains(i + 1)) {
                    try {
                        done = recognise(renderer, pages.get(i), i, layers.get(i), out);
                    } catch (ParseBudgetExceededException e) {
                        unreadable.add(i + 1);
                        failures.add("drawing the page took more time or memory than one page may take");
                    } catch (OcrException | IOException | RuntimeException e) {
                        unreadable.add(i + 1);
                        failures.add(e instanceof OcrException && e.getMessage() != null ? e.getMessage()
                                : "the page could not be rendered");
                    }
                    recognised++;
                }
                if (!done) {
                    for (PdfTables.Segment segment : PdfTables.split(layers.get(i))) {
                        if (segment.rows() != null) {
                            TableRows.write(segment.rows(), out);
                            continue;
                        }
                        for (String paragraph : WrappedLines.rejoin(segment.text()).split(String.valueOf(PARAGRAPH))) {
                            out.paragraph(CjkText.joinLines(paragraph));
                        }
                    }
                }
                if (out.length() == before) {
                    emptyPages.add(i + 1);
                }
                out.endPage();
                if (toRecognise.contains(i + 1)) {
                    progress.pageRecognised(recognised, toRecognise.size(), out.length());
                }
            }
            if (unavailable != null) {
                out.warn(ParseWarning.scannedPagesNotRead(ranges(scanned), scanned.size(), unavailable));
            } else if (toRecognise.size() < scanned.size()) {
                out.warn(ParseWarning.ocrPageLimit(toRecognise.size(), scanned.size(),
                        ranges(scanned.subList(toRecognise.size(), scanned.size()))));
            }
            if (!unreadable.isEmpty()) {
                out.warn(ParseWarning.pagesNotRecognised(ranges(unreadable), unreadable.size(), failures.get(0)));
            }
            emptyPages.removeAll(scanned);
            if (!emptyPages.isEmpty() && emptyPages.size() < pageCount) {
                out.warn(ParseWarning.pagesWithoutText(ranges(emptyPages), emptyPages.size()));
            }
            String title = pdf.getDocumentInformation() == null ? null : pdf.getDocumentInformation().getTitle();
            return out.build(usableTitle(title), format(), scanned.isEmpty()
                    ? "no text layer and no images: blank pages, or text drawn as shapes"
                    : !unreadable.isEmpty() && unreadable.size() == toRecognise.size()
                    // every page failed: the reason, not "found no text", tells the user what to do (retry, split)
                    ? "text recognition failed on every scanned page: " + failures.get(0)
                    : "OCR found no text on the scanned pages");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DocumentParseException(fileName, DocumentParseException.Reason.UNREADABLE,
                    "text recognition was interrupted", e);
        } catch (InvalidPasswordException e) {
            throw new DocumentParseException(fileName, DocumentParseException.Reason.ENCRYPTED,
                    "the PDF is encrypted (password protected)", e);
        } catch (IOException e) {
            throw new DocumentParseException(fileName, DocumentParseException.Reason.CORRUPT,
                    "the PDF is damaged or not a PDF, it cannot be read", e);
        }
    }

    /**
     * Renders and recognises one page; writes its text and returns true when OCR read more than the page's text
     * layer, else writes nothing and returns false (the caller writes the layer).
     */
    private boolean recognise(PDFRenderer renderer, PDPage page, int index, String layer, DocumentTextBuilder out)
            throws IOException, OcrException, InterruptedException {
        PDRectangle box = page.getCropBox();
        boolean turned = page.getRotation() % 180 != 0;
        float width = turned ? box.getHeight() : box.getWidth();
        float height = turned ? box.getWidth() : box.getHeight();
        double scale = Math.min(OCR_DPI / 72.0, Math.sqrt(limits.ocrMaxPixels() / Math.max(1.0, (double) width * height)));
        BufferedImage image;
        try (ParseBudget.Scope file = ParseBudget.pause();
             ParseBudget.Scope drawing = ParseBudget.forDrawnPage(limits).bind()) {
            image = renderer.renderImage(index, (float) scale, ImageType.GRAY);
        }
        RecognisedPage recognised;
        try (ParseBudget.Scope ocr = ParseBudget.pause()) {
            recognised = engine.recognise(image, (int) Math.round(72 * scale));
        }
        if (OcrPageWriter.visibleCharacters(recognised) <= OcrPageWriter.visibleCharacters(layer)) {
            return false;
        }
        OcrPageWriter.write(out, index + 1, recognised, 1 / scale, width, height, "pt");
        return true;
    }

    /**
     * A renderer whose drawing checks the budget bound to the thread at every operator, as the text stripper does:
     * a few bytes of content stream can ask for unbounded drawing work (thousands of full-page shadings, deeply
     * repeated forms), which the text pass skips as operators without text.
     */
    private static final class BudgetedRenderer extends PDFRenderer {

        BudgetedRenderer(PDDocument document) {
            super(document);
        }

        @Override
        protected PageDrawer createPageDrawer(PageDrawerParameters parameters) throws IOException {
            return new PageDrawer(parameters) {
                @Override
                protected void processOperator(Operator operator, List<COSBase> operands) throws IOException {
                    ParseBudget.checkCurrent();
                    super.processOperator(operator, operands);
                }
            };
        }
    }

    /** Whether the page draws an image XObject, directly or inside a form XObject (bounded depth). */
    static boolean showsImage(PDPage page) {
        return hasImage(page.getResources(), 0);
    }

    private static boolean hasImage(PDResources resources, int depth) {
        if (resources == null || depth > 4) {
            return false;
        }
        for (COSName name : resources.getXObjectNames()) {
            try {
                PDXObject x = resources.getXObject(name);
                if (x instanceof PDImageXObject) {
                    return true;
                }
                if (x instanceof PDFormXObject form && hasImage(form.getResources(), depth + 1)) {
                    return true;
                }
            } catch (IOException | RuntimeException e) {
                return true; // a damaged image is still an image: let rendering report it
            }
        }
        return false;
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

    /**
     * Collects each page's raw text separately (from the shared writer), with paragraph starts marked and table
     * cells and rows marked as {@link PdfTables} finds them.
     */
    private static final class PageTextStripper extends PDFTextStripper {

        final java.util.Map<Integer, String> pages = new java.util.HashMap<>();
        private final int maxCharacters;
        private int pageStart;
        /** Where the current line's text starts in the buffer, -1 before its first word. */
        private int lineStart = -1;
        private float lineY;
        private float lineSize;
        private boolean wordSeparatorPending;
        private final List<float[]> cells = new ArrayList<>();
        private final List<Integer> cellStarts = new ArrayList<>();
        private PdfTables.Columns columns = new PdfTables.Columns();

        PageTextStripper(int maxCharacters) {
            this.maxCharacters = maxCharacters;
            setLineSeparator("\n");
            setParagraphStart(String.valueOf(PARAGRAPH));
            setParagraphEnd("");
            setPageStart("");
            setPageEnd("");
        }

        /** Every operator of a page's content stream passes here: the place to bound the work one page can make. */
        @Override
        protected void processOperator(Operator operator, List<COSBase> operands) throws IOException {
            ParseBudget.checkCurrent();
            super.processOperator(operator, operands);
        }

        @Override
        protected void startPage(PDPage p) throws IOException {
            output.flush();
            pageStart = buffer().length();
            columns = new PdfTables.Columns();
        }

        /** Held back until the next word shows how wide the gap is: a word space or a cell boundary. */
        @Override
        protected void writeWordSeparator() {
            wordSeparatorPending = true;
        }

        @Override
        protected void writeString(String text, List<TextPosition> positions) throws IOException {
            output.flush();
            if (!positions.isEmpty()) {
                TextPosition first = positions.get(0);
                TextPosition last = positions.get(positions.size() - 1);
                float start = first.getXDirAdj();
                float end = last.getXDirAdj() + last.getWidthDirAdj();
                if (lineStart < 0) {
                    lineStart = buffer().length();
                    lineY = first.getYDirAdj();
                    lineSize = first.getYScale();
                    cells.add(new float[] {start, end});
                    cellStarts.add(lineStart);
                } else if (!cells.isEmpty()
                        && start - cells.get(cells.size() - 1)[1] > PdfTables.CELL_GAP * first.getYScale()) {
                    output.write(PdfTables.CELL);
                    cells.add(new float[] {start, end});
                    cellStarts.add(buffer().length());
                } else {
                    if (wordSeparatorPending) {
                        output.write(getWordSeparator());
                    }
                    if (!cells.isEmpty()) {
                        cells.get(cells.size() - 1)[1] = Math.max(cells.get(cells.size() - 1)[1], end);
                    }
                }
            } else if (wordSeparatorPending) {
                output.write(getWordSeparator());
            }
            wordSeparatorPending = false;
            super.writeString(text, positions);
        }

        @Override
        protected void writeLineSeparator() throws IOException {
            endLine();
            super.writeLineSeparator();
        }

        /** PDFBox may start a paragraph (or an article) without a line separator: that ends the line too. */
        @Override
        protected void writeParagraphStart() throws IOException {
            endLine();
            super.writeParagraphStart();
        }

        @Override
        protected void writeParagraphEnd() throws IOException {
            endLine();
            super.writeParagraphEnd();
        }

        @Override
        protected void startArticle(boolean isLTR) throws IOException {
            endLine();
            super.startArticle(isLTR);
        }

        @Override
        protected void endArticle() throws IOException {
            endLine();
            super.endArticle();
        }

        /** Places the line's cells in the open table, rewriting it as a row of that table's width when it is one. */
        private void endLine() throws IOException {
            output.flush();
            wordSeparatorPending = false;
            if (lineStart < 0) {
                return;
            }
            int[] placed = columns.place(cells, lineY, lineSize);
            if (placed != null) {
                StringBuffer all = buffer();
                String[] row = new String[columns.width()];
                java.util.Arrays.fill(row, "");
                for (int i = 0; i < placed.length; i++) {
                    int from = cellStarts.get(i);
                    int to = i + 1 < placed.length ? cellStarts.get(i + 1) - 1 : all.length();
                    row[placed[i]] = all.substring(from, to);
                }
                all.setLength(lineStart);
                all.append(PdfTables.ROW).append(String.join(String.valueOf(PdfTables.CELL), row));
            }
            lineStart = -1;
            cells.clear();
            cellStarts.clear();
        }

        @Override
        protected void endPage(PDPage p) throws IOException {
            endLine();
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
