package io.yinghuo.ingest.parse;

import io.yinghuo.ingest.ocr.OcrEngine;
import io.yinghuo.ingest.ocr.OcrException;
import io.yinghuo.ingest.ocr.RecognisedPage;
import io.yinghuo.ingest.ocr.RecognisedWord;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Node;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an uploaded photo or scan turns into before and after recognition, with an engine that records what it is
 * given: the resolution the file says it was scanned at, a page too large for the pixel cap read subsampled (its word
 * boxes still in the original's pixels), a multi-page TIFF cut at the page cap or with a page that fails, and WebP
 * files measured from their header alone (the JDK cannot decode them).
 */
class ImageParserTest {

    /** Records each page's size and resolution; "recognises" one word at (10, 20), 40 x 10; fails on chosen calls. */
    private static final class RecordingOcr implements OcrEngine {
        final List<String> pages = new ArrayList<>();
        final Set<Integer> failingCalls;

        RecordingOcr(Integer... failingCalls) {
            this.failingCalls = Set.of(failingCalls);
        }

        @Override
        public String unavailableReason() {
            return null;
        }

        @Override
        public RecognisedPage recognise(BufferedImage image, int dpi) throws OcrException {
            return page(image.getWidth() + "x" + image.getHeight() + "@" + dpi, image.getWidth(), image.getHeight());
        }

        @Override
        public RecognisedPage recognise(byte[] encodedImage, int dpi) throws OcrException {
            return page(encodedImage.length + " bytes@" + dpi, 100, 100);
        }

        private RecognisedPage page(String seen, int width, int height) throws OcrException {
            pages.add(seen);
            if (failingCalls.contains(pages.size())) {
                throw new OcrException("the engine gave up");
            }
            return new RecognisedPage(width, height, List.of(new RecognisedWord(1, 1, 1, "页" + pages.size(), 10, 20,
                    40, 10, 90)));
        }
    }

    private static ParsedDocument parse(ParseLimits limits, OcrEngine engine, String name, byte[] bytes,
                                        List<String> progress) throws DocumentParseException {
        return new ImageParser(limits, engine).parse(name, bytes,
                (done, total, characters) -> progress.add(done + "/" + total));
    }

    private static BufferedImage page(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        var g = image.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    /** A PNG whose pHYs chunk says {@code dpi} (in pixels per metre, rounded as a scanner's driver would). */
    private static byte[] png(int width, int height, double dpi) throws IOException {
        BufferedImage image = page(width, height);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), null);
        String format = "javax_imageio_png_1.0";
        IIOMetadataNode physical = new IIOMetadataNode("pHYs");
        String perMetre = Long.toString(Math.round(dpi / 0.0254));
        physical.setAttribute("pixelsPerUnitXAxis", perMetre);
        physical.setAttribute("pixelsPerUnitYAxis", perMetre);
        physical.setAttribute("unitSpecifier", "meter");
        IIOMetadataNode root = new IIOMetadataNode(format);
        root.appendChild(physical);
        metadata.mergeTree(format, (Node) root);
        return write(writer, List.of(new IIOImage(image, null, metadata)));
    }

    /** A baseline JPEG whose JFIF header says {@code dpi} (density unit 1: dots per inch). */
    private static byte[] jpeg(int width, int height, int dpi) throws IOException {
        BufferedImage image = page(width, height);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), null);
        String format = "javax_imageio_jpeg_image_1.0";
        Node root = metadata.getAsTree(format);
        IIOMetadataNode jfif = (IIOMetadataNode) ((IIOMetadataNode) root).getElementsByTagName("app0JFIF").item(0);
        jfif.setAttribute("resUnits", "1");
        jfif.setAttribute("Xdensity", Integer.toString(dpi));
        jfif.setAttribute("Ydensity", Integer.toString(dpi));
        metadata.setFromTree(format, root);
        return write(writer, List.of(new IIOImage(image, null, metadata)));
    }

    private static byte[] tiff(int pages) throws IOException {
        int[][] sizes = new int[pages][];
        for (int i = 0; i < pages; i++) {
            sizes[i] = new int[]{60 + i, 40};
        }
        return tiff(sizes);
    }

    private static byte[] tiff(int[]... sizes) throws IOException {
        List<IIOImage> images = new ArrayList<>();
        for (int[] size : sizes) {
            images.add(new IIOImage(page(size[0], size[1]), null, null));
        }
        return write(ImageIO.getImageWritersByFormatName("tiff").next(), images);
    }

    private static byte[] write(ImageWriter writer, List<IIOImage> images) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            if (images.size() == 1) {
                writer.write(images.get(0));
            } else {
                writer.prepareWriteSequence(null);
                for (IIOImage image : images) {
                    writer.writeToSequence(image, null);
                }
                writer.endWriteSequence();
            }
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    @Test
    void theEngineIsToldTheResolutionTheFileSaysItWasScannedAtWhenItIsPlausible() throws Exception {
        for (double[] dpiAndExpected : new double[][]{{300, 300}, {50, 50}, {2400, 2400}, {49, 0}, {2401, 0},
                {10, 0}}) {
            RecordingOcr engine = new RecordingOcr();
            parse(ParseLimits.defaults(), engine, "scan.png", png(30, 20, dpiAndExpected[0]), new ArrayList<>());
            assertEquals(List.of("30x20@" + (int) dpiAndExpected[1]), engine.pages, "at " + dpiAndExpected[0] + " dpi");
        }
        RecordingOcr engine = new RecordingOcr();
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        ImageIO.write(page(30, 20), "png", plain);
        parse(ParseLimits.defaults(), engine, "scan.png", plain.toByteArray(), new ArrayList<>());
        parse(ParseLimits.defaults(), engine, "photo.jpg", jpeg(30, 20, 600), new ArrayList<>());
        parse(ParseLimits.defaults(), engine, "photo.jpg", jpeg(30, 20, 20), new ArrayList<>());
        assertEquals(List.of("30x20@0", "30x20@600", "30x20@0"), engine.pages,
                "no pHYs: the engine judges for itself; a JPEG's JFIF density counts as a PNG's pHYs does");
        byte[] cut = png(30, 20, 300);
        assertEquals(300, ImageParser.pngDpi(cut));
        assertEquals(0, ImageParser.pngDpi(java.util.Arrays.copyOf(cut, 40)), "cut before pHYs is whole");
    }

    @Test
    void aPageOverThePixelCapIsReadSubsampledWithItsBoxesInTheOriginalsPixels() throws Exception {
        RecordingOcr engine = new RecordingOcr();
        List<String> progress = new ArrayList<>();
        ParsedDocument doc = parse(ParseLimits.defaults().withOcrMaxPixels(10_000), engine, "big.png",
                png(300, 150, 300), progress);
        assertEquals(List.of("100x50@100"), engine.pages, "a third of each side, and of the resolution");
        assertEquals(List.of(new ParseWarning("image_reduced", List.of("300", "150", "3"),
                "the image (300 × 150 pixels) was reduced to 1/3 of its size for recognition")), doc.warnings());
        ParsedDocument.OcrPage ocr = doc.ocrPages().get(0);
        assertEquals(List.of(300f, 150f), List.of(ocr.width(), ocr.height()));
        ParsedDocument.WordBox box = ocr.words().get(0);
        assertEquals(List.of(30f, 60f, 120f, 30f), List.of(box.x(), box.y(), box.width(), box.height()));
        assertEquals(List.of("1/1"), progress);

        DocumentParseException tooLarge = assertThrows(DocumentParseException.class, () -> parse(
                ParseLimits.defaults().withOcrMaxPixels(1_000_000), new RecordingOcr(), "huge.png",
                HostileFiles.pngDeclaring(4_001, 4_000), new ArrayList<>()));
        assertEquals(DocumentParseException.Reason.TOO_LARGE, tooLarge.reason());
        assertTrue(tooLarge.getMessage().endsWith("the image is 4001 × 4000 pixels, too large to recognise (at most"
                + " 16 million pixels)"), tooLarge.getMessage());
        RecordingOcr atTheEdge = new RecordingOcr();
        assertThrows(DocumentParseException.class, () -> parse(ParseLimits.defaults().withOcrMaxPixels(1_000_000),
                atTheEdge, "edge.png", HostileFiles.pngDeclaring(4_000, 4_000), new ArrayList<>()));
        assertEquals(List.of(), atTheEdge.pages, "4000 x 4000 is within the cap (factor 4) but the file holds no"
                + " pixels: refused as damaged, not as too large, before the engine");
    }

    @Test
    void aTiffIsOnePagePerFrameUpToThePageCapAndAFrameThatFailsIsNamed() throws Exception {
        RecordingOcr engine = new RecordingOcr();
        List<String> progress = new ArrayList<>();
        ParsedDocument doc = parse(ParseLimits.defaults().withOcrMaxPages(2), engine, "scan.tiff", tiff(3), progress);
        assertEquals(List.of("60x40@0", "61x40@0"), engine.pages);
        assertEquals(List.of("1/2", "2/2"), progress);
        assertEquals(List.of(1, 2), doc.pages().stream().map(ParsedDocument.PageSpan::page).toList());
        assertEquals(List.of("only the first 2 of 3 pages were recognised (OCR page limit)"), doc.warningTexts());

        RecordingOcr failingSecond = new RecordingOcr(2);
        ParsedDocument partly = parse(ParseLimits.defaults(), failingSecond, "scan.tif", tiff(3), new ArrayList<>());
        assertEquals(List.of("page 2 could not be read"), partly.warningTexts());
        assertTrue(partly.text().contains("页1") && partly.text().contains("页3") && !partly.text().contains("页2"),
                partly.text());

        RecordingOcr reduced = new RecordingOcr();
        ParsedDocument mixed = parse(ParseLimits.defaults().withOcrMaxPixels(10_000), reduced, "mixed.tif",
                tiff(new int[]{60, 40}, new int[]{300, 150}), new ArrayList<>());
        assertEquals(List.of("60x40@0", "100x50@0"), reduced.pages);
        assertEquals(List.of("page 2: the image (300 × 150 pixels) was reduced to 1/3 of its size for recognition"),
                mixed.warningTexts(), "in a multi-page file the warning names the page");

        DocumentParseException single = assertThrows(DocumentParseException.class, () -> parse(
                ParseLimits.defaults(), new RecordingOcr(1), "one.tif", tiff(1), new ArrayList<>()));
        assertEquals(DocumentParseException.Reason.CORRUPT, single.reason());
        assertTrue(single.getMessage().endsWith("the image could not be read (the engine gave up)"),
                single.getMessage());
    }

    // --- WebP: sizes from the RIFF header (https://developers.google.com/speed/webp/docs/riff_container) ---

    /** A lossy ("VP8 ") header: frame tag, start code 9D 01 2A, then 14-bit width and height (2 scale bits above). */
    static byte[] webpLossy(int width, int height) {
        return riff("VP8 ", ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).put(new byte[3])
                .put((byte) 0x9D).put((byte) 0x01).put((byte) 0x2A).putShort((short) (width | 0x4000))
                .putShort((short) (height | 0x8000)).array());
    }

    /** A lossless ("VP8L") header: signature 0x2F, then width - 1 and height - 1 in 14 bits each. */
    static byte[] webpLossless(int width, int height) {
        return riff("VP8L", ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0x2F)
                .putInt((width - 1) | (height - 1) << 14 | 0x10000000).put(new byte[5]).array());
    }

    private static byte[] riff(String chunk, byte[] payload) {
        return ByteBuffer.allocate(20 + payload.length).order(ByteOrder.LITTLE_ENDIAN)
                .put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(12 + payload.length)
                .put(("WEBP" + chunk).getBytes(StandardCharsets.US_ASCII)).putInt(payload.length).put(payload).array();
    }

    @Test
    void aWebpIsMeasuredFromItsLossyLosslessOrExtendedHeader() {
        assertEquals(new WebpHeader(1_234, 5_678, false), WebpHeader.read(webpLossy(1_234, 5_678)));
        assertEquals(new WebpHeader(16_383, 1, false), WebpHeader.read(webpLossy(16_383, 1)));
        assertEquals(new WebpHeader(1_234, 5_678, false), WebpHeader.read(webpLossless(1_234, 5_678)));
        assertEquals(new WebpHeader(16_384, 1, false), WebpHeader.read(webpLossless(16_384, 1)));
        assertEquals(new WebpHeader(70_000, 300, true), WebpHeader.read(HostileFiles.webpHeader(70_000, 300, true)));
        assertEquals(new WebpHeader(300, 70_000, false), WebpHeader.read(HostileFiles.webpHeader(300, 70_000, false)));

        byte[] badStartCode = webpLossy(10, 10);
        badStartCode[24] = 0x02;
        assertNull(WebpHeader.read(badStartCode));
        byte[] badSignature = webpLossless(10, 10);
        badSignature[20] = 0x2E;
        assertNull(WebpHeader.read(badSignature));
        byte[] otherChunk = webpLossy(10, 10);
        otherChunk[14] = 'Q';
        assertNull(WebpHeader.read(otherChunk));
        assertNull(WebpHeader.read(java.util.Arrays.copyOf(webpLossy(10, 10), 29)), "cut inside the sizes");
        assertTrue(WebpHeader.isWebp(java.util.Arrays.copyOf(webpLossy(10, 10), 16)));
        assertEquals(false, WebpHeader.isWebp(java.util.Arrays.copyOf(webpLossy(10, 10), 15)));
    }

    @Test
    void aWebpGoesToTheEngineWholeAsOnePageOfItsHeadersSize() throws Exception {
        RecordingOcr engine = new RecordingOcr();
        List<String> progress = new ArrayList<>();
        byte[] webp = webpLossless(640, 480);
        ParsedDocument doc = parse(ParseLimits.defaults(), engine, "photo.webp", webp, progress);
        assertEquals(List.of(webp.length + " bytes@0"), engine.pages);
        assertEquals(List.of("1/1"), progress);
        assertEquals(List.of(1), doc.pages().stream().map(ParsedDocument.PageSpan::page).toList());
        assertEquals(List.of(640f, 480f), List.of(doc.ocrPages().get(0).width(), doc.ocrPages().get(0).height()));

        DocumentParseException empty = assertThrows(DocumentParseException.class, () -> parse(ParseLimits.defaults(),
                new RecordingOcr(), "empty.webp", webpLossy(0, 7), new ArrayList<>()));
        assertEquals(DocumentParseException.Reason.CORRUPT, empty.reason());
        assertTrue(empty.getMessage().endsWith("the image has no pixels (0 × 7)"), empty.getMessage());
        DocumentParseException tooLarge = assertThrows(DocumentParseException.class, () -> parse(
                ParseLimits.defaults().withOcrMaxPixels(10_000), new RecordingOcr(), "big.webp",
                webpLossless(101, 100), new ArrayList<>()));
        assertEquals(DocumentParseException.Reason.TOO_LARGE, tooLarge.reason(), "a WebP cannot be subsampled");
        assertEquals(1, parse(ParseLimits.defaults().withOcrMaxPixels(10_000), new RecordingOcr(), "edge.webp",
                webpLossless(100, 100), new ArrayList<>()).pages().size(), "100 x 100 is exactly the cap");
    }
}
