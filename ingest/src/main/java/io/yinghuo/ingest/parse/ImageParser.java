package io.yinghuo.ingest.parse;

import io.yinghuo.ingest.ocr.OcrEngine;
import io.yinghuo.ingest.ocr.OcrException;
import io.yinghuo.ingest.ocr.RecognisedPage;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataFormatImpl;
import javax.imageio.stream.ImageInputStream;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Photos and scans (PNG, JPEG, TIFF, GIF, BMP, WebP) read by OCR. Every frame of a TIFF is a page (multi-page
 * scans), up to {@link ParseLimits#ocrMaxPages()}; an animated GIF gives its first frame only.
 *
 * <p>Bounded memory: the size is read from the file's header (ImageIO's {@link ImageReader#getWidth}, which does
 * not decode pixels) before anything is decoded. An image above {@link ParseLimits#ocrMaxPixels()} is decoded with
 * source subsampling ({@link ImageReadParam#setSourceSubsampling}: the reader keeps only every n-th pixel as it
 * goes, so the full-size image never exists in memory), and one beyond {@value #MAX_SUBSAMPLING}² times that is
 * refused. WebP has no reader in the JDK: its size comes from its RIFF header and its bytes go to Tesseract as
 * they are (Leptonica reads WebP when built with libwebp, as Debian's is); an animated or too large WebP is refused.
 *
 * <p>Word boxes are in pixels of the original image.
 */
public final class ImageParser implements DocumentParser {

    /** The largest subsampling factor: 12,000 × 12,000 pixels become 6,000 × 6,000 (factor 2) by default. */
    static final int MAX_SUBSAMPLING = 4;

    private final ParseLimits limits;
    private final OcrEngine engine;

    public ImageParser(ParseLimits limits, OcrEngine engine) {
        this.limits = limits;
        this.engine = engine;
    }

    @Override
    public String format() {
        return "image";
    }

    @Override
    public ParsedDocument parse(String fileName, byte[] bytes) throws DocumentParseException {
        return parse(fileName, bytes, OcrProgress.NONE);
    }

    @Override
    public ParsedDocument parse(String fileName, byte[] bytes, OcrProgress progress) throws DocumentParseException {
        String unavailable = engine.unavailableReason();
        if (unavailable != null) {
            throw new DocumentParseException(fileName, DocumentParseException.Reason.OCR_UNAVAILABLE,
                    "the image needs text recognition: " + unavailable);
        }
        DocumentTextBuilder out = new DocumentTextBuilder(fileName, limits.maxCharacters());
        try {
            if (WebpHeader.isWebp(bytes)) {
                webp(fileName, bytes, out, progress);
            } else {
                decodable(fileName, bytes, out, progress);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DocumentParseException(fileName, DocumentParseException.Reason.UNREADABLE,
                    "text recognition was interrupted", e);
        }
        return out.build(null, format(), "OCR found no text in the image");
    }

    private void webp(String fileName, byte[] bytes, DocumentTextBuilder out, OcrProgress progress)
            throws DocumentParseException, InterruptedException {
        WebpHeader header = WebpHeader.read(bytes);
        if (header == null) {
            throw corrupt(fileName, "the WebP header is damaged", null);
        }
        if (header.animated()) {
            throw new DocumentParseException(fileName, DocumentParseException.Reason.UNSUPPORTED_TYPE,
                    "animated WebP images cannot be read; save the frame with the text as PNG or JPEG");
        }
        checkPixels(fileName, header.width(), header.height(), false);
        out.startPage(1);
        try {
            RecognisedPage page;
            try (ParseBudget.Scope ocr = ParseBudget.pause()) {
                page = engine.recognise(bytes, 0);
            }
            OcrPageWriter.write(out, 1, page, 1, header.width(), header.height(), "px");
        } catch (OcrException e) {
            throw corrupt(fileName, "the WebP image could not be recognised (" + e.getMessage() + ")", e);
        }
        out.endPage();
        progress.pageRecognised(1, 1, out.length());
    }

    private void decodable(String fileName, byte[] bytes, DocumentTextBuilder out, OcrProgress progress)
            throws DocumentParseException, InterruptedException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw corrupt(fileName, "the image is damaged or in a format that cannot be read", null);
            }
            ImageReader reader = readers.next();
            try {
                String kind = reader.getFormatName().toLowerCase(Locale.ROOT);
                // The resolution is in the metadata, which the reader skips when told to ignore it. PNG's is read
                // from its pHYs chunk here instead: the JDK's PNG reader inflates zTXt and iCCP chunks without a
                // bound when it reads metadata, so a small hostile PNG could fill the heap.
                boolean png = kind.equals("png");
                reader.setInput(in, false, png);
                int pngDpi = png ? pngDpi(bytes) : 0;
                boolean pagesAreFrames = kind.startsWith("tif");
                int frames = pagesAreFrames ? reader.getNumImages(true) : 1;
                if (!pagesAreFrames && kind.equals("gif") && reader.getNumImages(true) > 1) {
                    out.warn(ParseWarning.animatedImage());
                }
                int pages = Math.min(frames, limits.ocrMaxPages());
                if (pages < frames) {
                    out.warn(ParseWarning.imagePageLimit(pages, frames));
                }
                List<Integer> failed = new ArrayList<>();
                for (int i = 0; i < pages; i++) {
                    int width = reader.getWidth(i);
                    int height = reader.getHeight(i);
                    int factor = checkPixels(fileName, width, height, true);
                    ImageReadParam param = reader.getDefaultReadParam();
                    if (factor > 1) {
                        param.setSourceSubsampling(factor, factor, 0, 0);
                        out.warn(ParseWarning.imageReduced(pages > 1 ? i + 1 : 0, width, height, factor));
                    }
                    out.startPage(i + 1);
                    try {
                        RecognisedPage page;
                        // Decoding is part of recognising, bounded like it: by the pixel cap (checkPixels), not
                        // by the file's budget, which a small PNG of a large blank page would exceed.
                        try (ParseBudget.Scope ocr = ParseBudget.pause()) {
                            BufferedImage image = reader.read(i, param);
                            page = engine.recognise(image, (png ? pngDpi : dpi(reader, i)) / factor);
                        }
                        OcrPageWriter.write(out, i + 1, page, factor, width, height, "px");
                    } catch (OcrException | IOException | RuntimeException e) {
                        if (pages == 1) {
                            throw corrupt(fileName, "the image could not be read" + (e instanceof OcrException
                                    ? " (" + e.getMessage() + ")" : ""), e);
                        }
                        failed.add(i + 1);
                    }
                    out.endPage();
                    progress.pageRecognised(i + 1, pages, out.length());
                }
                if (!failed.isEmpty()) {
                    out.warn(ParseWarning.imagePagesUnreadable(PdfParser.ranges(failed), failed.size()));
                }
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw corrupt(fileName, "the image is damaged and cannot be read", e);
        }
    }

    /**
     * The resolution the image says it was scanned at (JPEG JFIF density, TIFF resolution, BMP, GIF: the JDK's
     * standard metadata tree, Dimension/HorizontalPixelSize in millimetres per pixel), or 0 when it says none or an
     * implausible one. The engine scales a fine scan down to the size it reads best.
     */
    static int dpi(ImageReader reader, int index) {
        try {
            IIOMetadata metadata = reader.getImageMetadata(index);
            if (metadata == null || !metadata.isStandardMetadataFormatSupported()) {
                return 0;
            }
            Node root = metadata.getAsTree(IIOMetadataFormatImpl.standardMetadataFormatName);
            for (Node group = root.getFirstChild(); group != null; group = group.getNextSibling()) {
                for (Node item = group.getFirstChild(); item != null; item = item.getNextSibling()) {
                    if ("Dimension".equals(group.getNodeName()) && "HorizontalPixelSize".equals(item.getNodeName())
                            && item instanceof Element element) {
                        return plausible(25.4 / Double.parseDouble(element.getAttribute("value")));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // metadata is a hint: without it the image is recognised as it is
        }
        return 0;
    }

    /**
     * The resolution in a PNG's pHYs chunk (PNG specification, 11.3.5.3: pixels per unit on the x axis, unit 1 being
     * the metre), or 0 when the file has none before its image data or an implausible one.
     */
    static int pngDpi(byte[] png) {
        java.nio.ByteBuffer chunks = java.nio.ByteBuffer.wrap(png);
        long at = 8; // after the signature; each chunk: length, type, data, CRC
        while (at + 17 <= png.length) {
            int length = chunks.getInt((int) at);
            int type = chunks.getInt((int) at + 4);
            if (length < 0 || type == IDAT) {
                return 0;
            }
            if (type == PHYS && length == 9) {
                long pixelsPerUnit = chunks.getInt((int) at + 8) & 0xFFFFFFFFL;
                return png[(int) at + 16] == 1 ? plausible(pixelsPerUnit * 0.0254) : 0;
            }
            at += 12L + length;
        }
        return 0;
    }

    private static final int IDAT = 0x49444154;
    private static final int PHYS = 0x70485973;

    /** Scans are made at 50 to 2,400 dpi; anything else in a file's header is a default or a mistake. */
    private static int plausible(double dpi) {
        return dpi >= 50 && dpi <= 2400 ? (int) Math.round(dpi) : 0;
    }

    /** The subsampling factor that brings the image within the pixel limit; refuses empty or far too large ones. */
    private int checkPixels(String fileName, int width, int height, boolean canReduce) throws DocumentParseException {
        if (width <= 0 || height <= 0) {
            throw corrupt(fileName, "the image has no pixels (" + width + " × " + height + ")", null);
        }
        long pixels = (long) width * height;
        int factor = (int) Math.ceil(Math.sqrt(pixels / (double) limits.ocrMaxPixels()));
        if (factor > (canReduce ? MAX_SUBSAMPLING : 1)) {
            throw new DocumentParseException(fileName, DocumentParseException.Reason.TOO_LARGE,
                    "the image is " + width + " × " + height + " pixels, too large to recognise (at most "
                            + (limits.ocrMaxPixels() * (canReduce ? MAX_SUBSAMPLING * MAX_SUBSAMPLING : 1) / 1_000_000)
                            + " million pixels)");
        }
        return Math.max(1, factor);
    }

    private static DocumentParseException corrupt(String fileName, String detail, Throwable cause) {
        return new DocumentParseException(fileName, DocumentParseException.Reason.CORRUPT, detail, cause);
    }
}
