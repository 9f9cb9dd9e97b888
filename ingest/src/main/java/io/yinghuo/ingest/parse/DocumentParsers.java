package io.yinghuo.ingest.parse;

import org.apache.poi.openxml4j.util.ZipSecureFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The entry point for turning uploads into text: picks a {@link DocumentParser} by the file's extension, or by its
 * first bytes when those say for certain what it is (a PDF or DOCX under another name), enforces
 * {@link ParseLimits}, and turns every failure into a {@link DocumentParseException} whose message names the file
 * and says what is wrong with it. Immutable and thread-safe.
 *
 * <p>Supported: txt/text/log, md/markdown, html/htm/xhtml, pdf, docx, xlsx, pptx, csv, tsv, json, jsonl/ndjson,
 * and through OCR png, jpg/jpeg, tif/tiff, gif, bmp, webp (scanned PDF pages too). The image types are accepted
 * whether or not Tesseract is installed: without it they fail with
 * {@link DocumentParseException.Reason#OCR_UNAVAILABLE}, whose message says what to install, rather than as an
 * unknown type.
 */
public final class DocumentParsers {

    private final ParseLimits limits;
    private final Map<String, DocumentParser> byExtension;

    public DocumentParsers(ParseLimits limits) {
        this(limits, io.yinghuo.ingest.ocr.TesseractCommand.fromEnvironment());
    }

    /** All built-in parsers, reading scans and images with {@code ocr}. */
    public DocumentParsers(ParseLimits limits, io.yinghuo.ingest.ocr.OcrEngine ocr) {
        this(limits, defaultParsers(limits, ocr));
        // POI keeps its own zip-bomb thresholds in JVM-wide statics; make its per-entry limit and its part count
        // agree with ours (the 1 % minimum inflate ratio stays at POI's default). ZipGuard has already checked every
        // file POI opens, and refuses by name; POI's default of 1,000 parts would otherwise turn a large deck or
        // workbook into "damaged".
        ZipSecureFile.setMaxEntrySize(Math.min(limits.maxExpandedBytes(), 0xFFFFFFFFL));
        ZipSecureFile.setMaxFileCount(ZipGuard.MAX_ENTRIES);
    }

    private DocumentParsers(ParseLimits limits, Map<String, DocumentParser> byExtension) {
        this.limits = limits;
        this.byExtension = Collections.unmodifiableMap(byExtension);
    }

    /** All built-in parsers with {@link ParseLimits#defaults()}. */
    public static DocumentParsers withDefaults() {
        return new DocumentParsers(ParseLimits.defaults());
    }

    /** A copy that also (or instead) uses {@code parser} for the given extensions (without dot, any case). */
    public DocumentParsers with(DocumentParser parser, String... extensions) {
        Map<String, DocumentParser> copy = new LinkedHashMap<>(byExtension);
        for (String extension : extensions) {
            copy.put(extension.toLowerCase(java.util.Locale.ROOT).replaceFirst("^\\.", ""), parser);
        }
        return new DocumentParsers(limits, copy);
    }

    public ParseLimits limits() {
        return limits;
    }

    /** Lower-case extensions without dot, sorted. */
    public Set<String> supportedExtensions() {
        return Collections.unmodifiableSet(new TreeSet<>(byExtension.keySet()));
    }

    /** Whether the file's extension has a parser (content sniffing may still accept others). */
    public boolean supports(String fileName) {
        return byExtension.containsKey(FileNames.extension(fileName));
    }

    /** Reads and parses a file; its size is checked before reading. */
    public ParsedDocument parse(Path file) throws DocumentParseException {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        try {
            long size = Files.size(file);
            if (size > limits.maxBytes()) {
                throw tooLarge(name, size);
            }
            return parse(name, Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new DocumentParseException(name, DocumentParseException.Reason.UNREADABLE, "file not found", e);
        } catch (IOException e) {
            throw new DocumentParseException(name, DocumentParseException.Reason.UNREADABLE,
                    "cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** Reads at most {@code maxBytes + 1} bytes of an upload stream (not closed) and parses them. */
    public ParsedDocument parse(String fileName, InputStream in) throws DocumentParseException {
        byte[] bytes;
        try {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxBytes() + 1));
        } catch (IOException e) {
            throw new DocumentParseException(fileName, DocumentParseException.Reason.UNREADABLE,
                    "upload could not be read (" + e.getMessage() + ")", e);
        }
        if (bytes.length > limits.maxBytes()) {
            throw new DocumentParseException(fileName, DocumentParseException.Reason.TOO_LARGE,
                    "is larger than the " + ParseLimits.describeBytes(limits.maxBytes()) + " limit");
        }
        return parse(fileName, bytes);
    }

    /**
     * Parses one upload.
     *
     * @param fileName the name as uploaded (sanitised here for messages; path parts are ignored)
     * @throws UnsupportedDocumentException no parser for this type
     * @throws DocumentParseException anything else wrong with this file, with a user-facing message
     */
    public ParsedDocument parse(String fileName, byte[] bytes) throws DocumentParseException {
        return parse(fileName, bytes, OcrProgress.NONE);
    }

    /** As {@link #parse(String, byte[])}, telling {@code progress} about each page OCR recognises. */
    public ParsedDocument parse(String fileName, byte[] bytes, OcrProgress progress) throws DocumentParseException {
        if (bytes == null || bytes.length == 0) {
            throw new DocumentParseException(fileName, DocumentParseException.Reason.EMPTY, "the file is empty");
        }
        if (bytes.length > limits.maxBytes()) {
            throw tooLarge(fileName, bytes.length);
        }
        String extension = FileNames.extension(fileName);
        List<ParseWarning> notes = new ArrayList<>();
        DocumentParser parser = choose(fileName, extension, bytes, notes);
        try (ParseBudget.Scope bound = ParseBudget.forFile(bytes.length, limits).bind()) {
            ParsedDocument parsed = parser.parse(fileName, bytes, progress);
            if (notes.isEmpty()) {
                return parsed;
            }
            notes.addAll(parsed.warnings());
            return new ParsedDocument(parsed.text(), parsed.title(), parsed.format(), parsed.pages(),
                    parsed.sections(), notes, parsed.ocrPages());
        } catch (DocumentParseException e) {
            throw RefusalLog.refused(e);
        } catch (TextLimitExceededException e) {
            throw RefusalLog.refused(new DocumentParseException(fileName, DocumentParseException.Reason.TOO_MUCH_TEXT,
                    e.getMessage()));
        } catch (ParseBudgetExceededException e) {
            throw RefusalLog.refused(new DocumentParseException(fileName, DocumentParseException.Reason.OVER_BUDGET,
                    e.getMessage()));
        } catch (RuntimeException e) {
            // Parsers of hostile files fail in many ways (PDFBox/POI runtime exceptions); all mean "cannot read it".
            // The library's own words name its classes: they go to the log, the user gets ours.
            throw RefusalLog.failed(new DocumentParseException(fileName, DocumentParseException.Reason.CORRUPT,
                    "is damaged or not a valid " + parser.format().toUpperCase(java.util.Locale.ROOT)
                            + " file, it cannot be read", e));
        }
    }

    private DocumentParser choose(String fileName, String extension, byte[] bytes, List<ParseWarning> notes)
            throws DocumentParseException {
        // Content beats the name where the content is unambiguous: "报告.txt" that is really a PDF gets read as one.
        String sniffed = null;
        if (ContentSniffer.isPdf(bytes)) {
            sniffed = "pdf";
        } else if (ContentSniffer.isZip(bytes)) {
            sniffed = ContentSniffer.officeKind(bytes);
        } else if (ContentSniffer.isOle2(bytes) && Set.of("doc", "docx", "xls", "xlsx", "ppt", "pptx")
                .contains(extension)) {
            throw OfficeFiles.ole2(fileName, bytes, extension.startsWith("x") ? "XLSX"
                    : extension.startsWith("p") ? "PPTX" : "DOCX");
        }
        if (sniffed != null && !sniffed.equals(extension) && byExtension.containsKey(sniffed)) {
            notes.add(ParseWarning.formatByContent(extension, sniffed));
            return byExtension.get(sniffed);
        }
        DocumentParser parser = byExtension.get(extension);
        if (parser == null) {
            String supported = String.join(", ", supportedExtensions());
            throw new UnsupportedDocumentException(fileName, extension.isEmpty()
                    ? "has no file extension, so its type is unknown (supported: " + supported + ")"
                    : "unsupported file type '." + extension + "' (supported: " + supported + ")");
        }
        return parser;
    }

    private DocumentParseException tooLarge(String fileName, long size) {
        return new DocumentParseException(fileName, DocumentParseException.Reason.TOO_LARGE,
                "is " + ParseLimits.describeBytes(size) + ", larger than the "
                        + ParseLimits.describeBytes(limits.maxBytes()) + " limit");
    }

    private static Map<String, DocumentParser> defaultParsers(ParseLimits limits,
                                                              io.yinghuo.ingest.ocr.OcrEngine ocr) {
        Map<String, DocumentParser> map = new LinkedHashMap<>();
        DocumentParser text = new PlainTextParser(limits);
        for (String ext : List.of("txt", "text", "log")) {
            map.put(ext, text);
        }
        DocumentParser markdown = new MarkdownParser(limits);
        map.put("md", markdown);
        map.put("markdown", markdown);
        DocumentParser html = new HtmlParser(limits);
        for (String ext : List.of("html", "htm", "xhtml")) {
            map.put(ext, html);
        }
        map.put("pdf", new PdfParser(limits, ocr));
        DocumentParser image = new ImageParser(limits, ocr);
        for (String ext : List.of("png", "jpg", "jpeg", "tif", "tiff", "gif", "bmp", "webp")) {
            map.put(ext, image);
        }
        map.put("docx", new DocxParser(limits));
        map.put("xlsx", new XlsxParser(limits));
        map.put("pptx", new PptxParser(limits));
        map.put("csv", new CsvParser(limits, false));
        map.put("tsv", new CsvParser(limits, true));
        map.put("json", new JsonParser(limits, false));
        DocumentParser jsonLines = new JsonParser(limits, true);
        map.put("jsonl", jsonLines);
        map.put("ndjson", jsonLines);
        return map;
    }
}
