package io.yinghuo.ingest.ocr;

import io.yinghuo.ingest.parse.DocumentParseException;
import io.yinghuo.ingest.parse.DocumentParsers;
import io.yinghuo.ingest.parse.HostileFiles;
import io.yinghuo.ingest.parse.ParseLimits;
import io.yinghuo.ingest.parse.ParsedDocument;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSFloat;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.common.function.PDFunctionType2;
import org.apache.pdfbox.pdmodel.graphics.color.PDDeviceGray;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.pdmodel.graphics.shading.PDShading;
import org.apache.pdfbox.pdmodel.graphics.shading.PDShadingType2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scans and images that are too big, broken, empty, animated or locked each get a clear outcome, quickly and in
 * bounded memory. A fake engine stands in for Tesseract (these are about the limits, not about recognition), so
 * these run everywhere.
 */
@Timeout(60)
class OcrBadInputTest {

    /** Says "字" for every page and remembers the size of each image it was given. */
    static final class CountingEngine implements OcrEngine {
        final AtomicInteger pages = new AtomicInteger();
        final List<int[]> sizes = new ArrayList<>();

        @Override
        public String unavailableReason() {
            return null;
        }

        @Override
        public synchronized RecognisedPage recognise(BufferedImage image, int dpi) {
            pages.incrementAndGet();
            sizes.add(new int[] {image.getWidth(), image.getHeight()});
            return new RecognisedPage(image.getWidth(), image.getHeight(),
                    List.of(new RecognisedWord(1, 1, 1, "扫描文字", 10, 10, 40, 10, 95)));
        }

        @Override
        public RecognisedPage recognise(byte[] encodedImage, int dpi) {
            pages.incrementAndGet();
            return new RecognisedPage(100, 100, List.of(new RecognisedWord(1, 1, 1, "网页图", 1, 1, 9, 9, 95)));
        }
    }

    /** A recogniser that spends {@code time} and allocates {@code bytes} (as garbage) on every page. */
    static final class SlowEngine implements OcrEngine {
        final CountingEngine counting = new CountingEngine();
        final AtomicInteger pages = counting.pages;
        private final Duration time;
        private final long bytes;

        SlowEngine(Duration time, long bytes) {
            this.time = time;
            this.bytes = bytes;
        }

        @Override
        public String unavailableReason() {
            return null;
        }

        @Override
        public RecognisedPage recognise(BufferedImage image, int dpi) throws InterruptedException {
            work();
            return counting.recognise(image, dpi);
        }

        @Override
        public RecognisedPage recognise(byte[] encodedImage, int dpi) throws InterruptedException {
            work();
            return counting.recognise(encodedImage, dpi);
        }

        private void work() throws InterruptedException {
            long sum = 0;
            for (long allocated = 0; allocated < bytes; allocated += 1 << 20) {
                byte[] chunk = new byte[1 << 20];
                chunk[(int) (allocated % chunk.length)] = 1;
                sum += chunk[(int) (allocated % chunk.length)];
            }
            assertTrue(sum > 0);
            Thread.sleep(time.toMillis()); // stands for a recogniser busy in another process
        }
    }

    private final CountingEngine engine = new CountingEngine();
    private final DocumentParsers parsers = new DocumentParsers(ParseLimits.defaults().withOcrMaxPages(5), engine);

    /** A PDF of {@code pages} pages that all show one small image and have no text layer. */
    static byte[] scanPdf(int pages, String userPassword) throws IOException {
        BufferedImage image = new BufferedImage(200, 100, BufferedImage.TYPE_BYTE_GRAY);
        try (PDDocument pdf = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDImageXObject x = LosslessFactory.createFromImage(pdf, image);
            for (int i = 0; i < pages; i++) {
                PDPage page = new PDPage(PDRectangle.A4);
                pdf.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
                    content.drawImage(x, 50, 50, 400, 200);
                }
            }
            if (userPassword != null) {
                StandardProtectionPolicy policy = new StandardProtectionPolicy("owner", userPassword,
                        new AccessPermission());
                policy.setEncryptionKeyLength(128);
                pdf.protect(policy);
            }
            pdf.save(out);
            return out.toByteArray();
        }
    }

    @Test
    void fiveHundredPageScanIsRecognisedUpToThePageLimitAndSaysSo() throws Exception {
        List<String> progress = new ArrayList<>();
        ParsedDocument doc = parsers.parse("五百页.pdf", scanPdf(500, null),
                (done, total, characters) -> progress.add(done + "/" + total));
        assertEquals(5, engine.pages.get());
        assertEquals(List.of("1/5", "2/5", "3/5", "4/5", "5/5"), progress);
        assertEquals(500, doc.pages().size());
        assertEquals(5, doc.ocrPages().size());
        assertEquals(List.of("only the first 5 of 500 scanned pages were recognised (OCR page limit); pages 6-500"
                + " were not read"), doc.warningTexts());
        // Rendered at 200 dpi: an A4 page of 595 × 842 points becomes 1654 × 2339 pixels.
        assertEquals(1654, engine.sizes.get(0)[0], 1);
    }

    /**
     * Recognition that takes longer, and allocates more, on every page than the whole file's parse budget allows
     * (a real scan on a busy machine): the budget's clock stops while a page is recognised, so no page is lost.
     */
    @Test
    void recognitionSlowerThanTheWholeParseBudgetKeepsEveryPage() throws Exception {
        // The budget is generous for the parsing itself (a busy shared machine), the recogniser slower still.
        ParseLimits tight = ParseLimits.defaults().withBudgetPerMegabyte(3_000, 256L << 20).withOcrMaxPixels(20_000);
        SlowEngine slow = new SlowEngine(Duration.ofMillis(3_200), 384L << 20);
        DocumentParsers slowly = new DocumentParsers(tight, slow);
        ParsedDocument pdf = slowly.parse("慢扫描.pdf", scanPdf(2, null));
        assertEquals(2, slow.pages.get());
        assertEquals(2, pdf.ocrPages().size());
        assertEquals(List.of("扫描文字", "扫描文字"), List.of(pdf.text().strip().split("\\s+")));
        assertEquals(List.of(), pdf.warningTexts());
        ParsedDocument image = slowly.parse("慢照片.png", pngOfSize(300, 200));
        assertEquals("扫描文字", image.text());
    }

    /**
     * A scanned page whose content stream asks for endless drawing (50,000 full-page shadings: a few KB compressed,
     * nothing for the text pass, minutes for the renderer) is cut off by the budget of drawing one page, named in
     * a warning, and the rest of the scan is still read.
     */
    @Test
    void scannedPageThatDrawsForeverIsCutOffAndTheRestIsRead() throws Exception {
        ParseLimits tight = ParseLimits.defaults().withBudgetPerMegabyte(3_000, 1L << 30).withOcrMaxPixels(2_000_000)
                .withOcrDrawMillis(2_000);
        DocumentParsers guarded = new DocumentParsers(tight, engine);
        long start = System.nanoTime();
        ParsedDocument doc = guarded.parse("无尽绘制.pdf", endlessDrawingThenScan(50_000));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(2, doc.pages().size());
        assertEquals(1, engine.pages.get(), "only the second page reached the recogniser");
        assertEquals("扫描文字", doc.text().strip());
        assertEquals(List.of("page 1 could not be recognised (drawing the page took more time or memory than one"
                + " page may take)"), doc.warningTexts());
        assertTrue(seconds < 40, "cut off after about 2 s, took " + seconds + " s");
    }

    @Test
    void hugeImageIsDownscaledWhileDecodingAndBoxesStayInOriginalPixels() throws Exception {
        // 12,000 × 12,000 pixels: 432 MB as an RGB image, a few hundred KB as a one-colour PNG.
        byte[] png = pngOfSize(12_000, 12_000);
        ParsedDocument doc = parsers.parse("巨幅.png", png);
        assertEquals(List.of(4000, 4000), List.of(engine.sizes.get(0)[0], engine.sizes.get(0)[1]),
                "every third pixel: 144 million pixels brought under 24 million");
        assertEquals(12_000, doc.ocrPages().get(0).width());
        assertEquals(30, doc.ocrPages().get(0).words().get(0).x(), "boxes scaled back to the original's pixels");
        assertTrue(doc.warningTexts().get(0).contains("12000 × 12000 pixels) was reduced to 1/3"), doc.warningTexts().toString());
    }

    @Test
    void farTooLargeImageIsRefusedFromItsHeader() throws Exception {
        byte[] png = pngOfSize(40_000, 40_000);
        DocumentParseException e = assertThrows(DocumentParseException.class, () -> parsers.parse("x.png", png));
        assertEquals(DocumentParseException.Reason.TOO_LARGE, e.reason());
        assertTrue(e.getMessage().contains("40000 × 40000 pixels, too large"), e.getMessage());
        assertEquals(0, engine.pages.get());
    }

    @Test
    void pdfWithABrokenImageSaysWhichPage() throws Exception {
        byte[] pdf;
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDImageXObject good = LosslessFactory.createFromImage(doc, new BufferedImage(50, 50,
                    BufferedImage.TYPE_BYTE_GRAY));
            // A "JPEG" whose bytes are not a JPEG.
            PDStream junk = new PDStream(doc);
            try (var raw = junk.getCOSObject().createRawOutputStream()) {
                raw.write("not a jpeg at all".getBytes());
            }
            junk.getCOSObject().setItem(COSName.FILTER, COSName.DCT_DECODE);
            PDImageXObject broken = new PDImageXObject(junk, null);
            broken.setWidth(100);
            broken.setHeight(100);
            broken.setBitsPerComponent(8);
            broken.setColorSpace(org.apache.pdfbox.pdmodel.graphics.color.PDDeviceGray.INSTANCE);
            for (PDImageXObject image : List.of(good, broken)) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                    content.drawImage(image, 50, 50, 300, 300);
                }
            }
            doc.save(out);
            pdf = out.toByteArray();
        }
        ParsedDocument doc = parsers.parse("坏图.pdf", pdf);
        assertEquals(2, doc.pages().size());
        // PDFBox renders what it can; the page with the broken image is either recognised blank or named.
        assertTrue(doc.text().startsWith("扫描文字"), doc.text());
    }

    @Test
    void zeroSizeAndGarbageImagesAreRefusedAsDamaged() {
        byte[] header = pngOfSizeUnchecked(0, 0);
        DocumentParseException zero = assertThrows(DocumentParseException.class, () -> parsers.parse("0.png", header));
        assertEquals(DocumentParseException.Reason.CORRUPT, zero.reason());
        DocumentParseException junk = assertThrows(DocumentParseException.class,
                () -> parsers.parse("x.jpg", "definitely not a jpeg".getBytes()));
        assertEquals(DocumentParseException.Reason.CORRUPT, junk.reason());
        assertEquals(0, engine.pages.get());
    }

    @Test
    void animatedGifGivesItsFirstFrameAndSaysSo() throws Exception {
        byte[] gif = animatedGif(3);
        ParsedDocument doc = parsers.parse("动画.gif", gif);
        assertEquals(1, engine.pages.get());
        assertEquals(List.of("the image is animated: only its first frame was read"), doc.warningTexts());
    }

    @Test
    void animatedWebpIsRefusedAndStillWebpGoesToTheEngineAsIs() throws Exception {
        byte[] animated = HostileFiles.webpHeader(640, 480, true);
        DocumentParseException e = assertThrows(DocumentParseException.class, () -> parsers.parse("a.webp", animated));
        assertEquals(DocumentParseException.Reason.UNSUPPORTED_TYPE, e.reason());
        ParsedDocument still = parsers.parse("b.webp", HostileFiles.webpHeader(640, 480, false));
        assertEquals("网页图", still.text());
        assertEquals(640, still.ocrPages().get(0).width());
    }

    @Test
    void scanWhoseEveryPageFailsRecognitionSaysWhyInsteadOfNoText() throws Exception {
        OcrEngine failing = new OcrEngine() {
            @Override
            public String unavailableReason() {
                return null;
            }

            @Override
            public RecognisedPage recognise(BufferedImage image, int dpi) throws OcrException {
                throw new OcrException("tesseract took longer than 120 s on the page");
            }

            @Override
            public RecognisedPage recognise(byte[] encodedImage, int dpi) throws OcrException {
                throw new OcrException("tesseract took longer than 120 s on the page");
            }
        };
        DocumentParseException e = assertThrows(DocumentParseException.class,
                () -> new DocumentParsers(ParseLimits.defaults(), failing).parse("慢.pdf", scanPdf(2, null)));
        assertEquals(DocumentParseException.Reason.NO_TEXT, e.reason());
        assertTrue(e.getMessage().contains("text recognition failed on every scanned page: tesseract took longer "
                + "than 120 s on the page"), e.getMessage());
    }

    @Test
    void passwordProtectedScanIsRefusedAsEncrypted() throws Exception {
        DocumentParseException e = assertThrows(DocumentParseException.class,
                () -> parsers.parse("加密扫描.pdf", scanPdf(3, "secret")));
        assertEquals(DocumentParseException.Reason.ENCRYPTED, e.reason());
        assertEquals(0, engine.pages.get());
    }

    @Test
    void withoutTesseractScansAndImagesSayWhatToInstall() throws Exception {
        DocumentParsers without = new DocumentParsers(ParseLimits.defaults(),
                new TesseractCommand("/nonexistent/tesseract", OcrLanguages.DEFAULT, java.time.Duration.ofSeconds(5)));
        DocumentParseException image = assertThrows(DocumentParseException.class,
                () -> without.parse("照片.png", pngOfSize(100, 100)));
        assertEquals(DocumentParseException.Reason.OCR_UNAVAILABLE, image.reason());
        assertTrue(image.getMessage().contains("tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra"),
                image.getMessage());
        DocumentParseException pdf = assertThrows(DocumentParseException.class,
                () -> without.parse("扫描.pdf", scanPdf(2, null)));
        assertEquals(DocumentParseException.Reason.OCR_UNAVAILABLE, pdf.reason());
    }

    // --- small synthetic files -------------------------------------------------------------------------------

    /**
     * Two image-only pages: the first also paints a full-page axial shading {@code shadings} times, the second is
     * an ordinary scan.
     */
    static byte[] endlessDrawingThenScan(int shadings) throws IOException {
        try (PDDocument pdf = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDImageXObject x = LosslessFactory.createFromImage(pdf, new BufferedImage(200, 100,
                    BufferedImage.TYPE_BYTE_GRAY));
            COSDictionary function = new COSDictionary();
            function.setInt(COSName.FUNCTION_TYPE, 2);
            function.setItem(COSName.DOMAIN, numbers(0, 1));
            function.setItem(COSName.C0, numbers(1));
            function.setItem(COSName.C1, numbers(0));
            function.setInt(COSName.N, 1);
            PDShadingType2 shading = new PDShadingType2(new COSDictionary());
            shading.setShadingType(PDShading.SHADING_TYPE2);
            shading.setColorSpace(PDDeviceGray.INSTANCE);
            shading.setCoords(numbers(0, 0, 595, 842));
            shading.setFunction(new PDFunctionType2(function));
            for (int p = 0; p < 2; p++) {
                PDPage page = new PDPage(PDRectangle.A4);
                pdf.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
                    content.drawImage(x, 50, 50, 400, 200);
                    for (int i = 0; p == 0 && i < shadings; i++) {
                        content.shadingFill(shading);
                    }
                }
            }
            pdf.save(out);
            return out.toByteArray();
        }
    }

    private static COSArray numbers(float... values) {
        COSArray array = new COSArray();
        for (float v : values) {
            array.add(new COSFloat(v));
        }
        return array;
    }

    /** A real PNG of the given size (one grey level, so it compresses to almost nothing), written row by row. */
    static byte[] pngOfSize(int width, int height) throws IOException {
        return PngWriter.blank(width, height);
    }

    static byte[] pngOfSizeUnchecked(int width, int height) {
        try {
            return PngWriter.header(width, height);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] animatedGif(int frames) throws IOException {
        var writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.prepareWriteSequence(null);
            for (int i = 0; i < frames; i++) {
                BufferedImage frame = new BufferedImage(60, 40, BufferedImage.TYPE_BYTE_INDEXED);
                writer.writeToSequence(new javax.imageio.IIOImage(frame, null, null), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
