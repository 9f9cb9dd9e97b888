package io.yinghuo.ingest.parse;

import io.yinghuo.ingest.ocr.OneWordOcr;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property-based fuzzing of every upload format (issue 24): random bytes, and valid files that are truncated,
 * bit-flipped, spliced, or whose inner XML is damaged, plus deep nesting and huge declared sizes. Every input must
 * end parsed, or refused with a {@link DocumentParseException} whose reason is ours and whose message names no
 * library class; never another exception, never more than {@value #MAX_MILLIS} ms of CPU time, never more than
 * {@value #MAX_ALLOCATED_MB} MB allocated, never more than 256 MB alive at once: the build runs this class alone in
 * a JVM whose heap is capped at 256 MB over the test's own live set (the root pom's surefire
 * execution {@code fuzz-under-heap-cap}, ingest's {@code fuzz.heap.cap}), so such an input ends in an OutOfMemoryError. Tries per property come from
 * {@code jqwik.tries.default} (100 in src/test/resources/junit-platform.properties; raise it with
 * -Djqwik.tries.default=10000 for a long run). An input that once failed is kept as a case in
 * {@link HostileUploadsTest}.
 */
@Tag("heap-capped")
class UploadFuzzTest {

    static final long MAX_MILLIS = 10_000;
    static final long MAX_ALLOCATED_MB = 1_024;
    /** A qualified Java name or a simple one of an exception ("org.apache.x.Y", "XmlException"). */
    private static final Pattern LIBRARY_NAME = Pattern.compile(
            "\\b(?:[a-z][a-z0-9_]*\\.){2,}[A-Za-z]|\\b[A-Z][A-Za-z]*(?:Exception|Error)\\b|\\bat [a-z]+\\.[a-z]+");
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final DocumentParsers PARSERS = new DocumentParsers(ParseLimits.defaults().withMaxBytes(4L << 20));

    private static final byte[] TXT_GBK = "第一章 总则\n为了规范数据处理活动，保障数据安全。\n".repeat(20)
            .getBytes(Charset.forName("GBK"));
    private static final byte[] MD = utf8("# 标题\n\n- 一\n  - 二\n    > 引文 **粗体** [链接](http://x)\n\n| a | b |\n|---|---|\n"
            + "| 1 | 2 |\n\n```\ncode\n```\n");
    private static final byte[] HTML = utf8("<html><head><meta charset=utf-8><title>标题</title></head><body><h1>一</h1>"
            + "<p>段落<br>二</p><table><tr><td>a</td><td>b</td></tr></table><pre>x\ny</pre></body></html>");
    private static final byte[] CSV = utf8("姓名,城市,\"备注\"\n张三,北京,\"有,逗号\"\n李四,上海,\"有\"\"引号\"\"\"\n");
    private static final byte[] JSON = utf8("{\"a\":{\"b\":[1,2,{\"c\":\"字\"}]},\"d\":[{\"e\":null,\"f\":true}]}");
    private static final byte[] PDF = pdf();
    private static final byte[] DOCX = office(OfficeParsersTestFiles.DOCX);
    private static final byte[] XLSX = office(OfficeParsersTestFiles.XLSX);
    private static final byte[] PPTX = office(OfficeParsersTestFiles.PPTX);
    private static final List<String> IMAGE_FORMATS = List.of("png", "jpg", "gif", "bmp", "tiff");
    private static final List<byte[]> IMAGES = IMAGE_FORMATS.stream().map(UploadFuzzTest::image).toList();
    /**
     * Images go to an engine that "recognises" one word on any page it gets: what is fuzzed is decoding (the JDK's
     * ImageIO readers, the size checks before it, WebP's header), not Tesseract, which runs as its own process.
     */
    private static final DocumentParsers IMAGE_PARSERS = new DocumentParsers(ParseLimits.defaults()
            .withMaxBytes(4L << 20), new OneWordOcr());

    // --- the properties: one per format ---

    @Property
    void plainTextInGbk(@ForAll("seeds") Random random) {
        parsedOrRefused("gbk.txt", mutate(TXT_GBK, random));
    }

    @Property
    void markdown(@ForAll("seeds") Random random) {
        parsedOrRefused("a.md", random.nextInt(8) == 0 ? nested(random, "- ", "  ", "\n") : mutate(MD, random));
    }

    @Property
    void html(@ForAll("seeds") Random random) {
        parsedOrRefused("a.html", random.nextInt(8) == 0 ? nested(random, "<div><b>", "", "") : mutate(HTML, random));
    }

    @Property
    void csv(@ForAll("seeds") Random random) {
        parsedOrRefused("a.csv", mutate(CSV, random));
    }

    @Property
    void json(@ForAll("seeds") Random random) {
        parsedOrRefused(random.nextBoolean() ? "a.json" : "a.jsonl",
                random.nextInt(8) == 0 ? nested(random, "{\"k\":[", "", "") : mutate(JSON, random));
    }

    @Property
    void pdf(@ForAll("seeds") Random random) {
        byte[] input = switch (random.nextInt(8)) {
            case 0 -> HostileFiles.pdfDeclaringPages(String.valueOf(random.nextLong()));
            case 1 -> HostileFiles.pdfWithPageTreeDepth(random.nextInt(200));
            default -> mutate(PDF, random);
        };
        parsedOrRefused("a.pdf", input);
    }

    @Property
    void docx(@ForAll("seeds") Random random) {
        parsedOrRefused("a.docx", mutateOffice(DOCX, "word/document.xml", random));
    }

    @Property
    void xlsx(@ForAll("seeds") Random random) {
        parsedOrRefused("a.xlsx", mutateOffice(XLSX, "xl/worksheets/sheet1.xml", random));
    }

    @Property
    void pptx(@ForAll("seeds") Random random) {
        parsedOrRefused("a.pptx", mutateOffice(PPTX, "ppt/slides/slide1.xml", random));
    }

    @Property
    void images(@ForAll("seeds") Random random) {
        int kind = random.nextInt(IMAGES.size() + 1);
        if (kind == IMAGES.size()) {
            parsedOrRefused(IMAGE_PARSERS, "a.webp", HostileFiles.webpHeader(random.nextInt(1 << 14) + 1,
                    random.nextInt(1 << 14) + 1, random.nextBoolean()));
            return;
        }
        byte[] image = IMAGES.get(kind);
        byte[] input = random.nextInt(8) == 0 ? HostileFiles.pngDeclaring(random.nextInt(), random.nextInt())
                : mutate(image, random);
        parsedOrRefused(IMAGE_PARSERS, "a." + IMAGE_FORMATS.get(kind), input);
    }

    /** A seeded Random per try: jqwik reports the seed of a failing try, which replays it exactly. */
    @Provide
    Arbitrary<Random> seeds() {
        return Arbitraries.longs().map(Random::new);
    }

    // --- the check ---

    static void parsedOrRefused(String name, byte[] bytes) {
        parsedOrRefused(PARSERS, name, bytes);
    }

    static void parsedOrRefused(DocumentParsers parsers, String name, byte[] bytes) {
        long allocated = THREADS.getCurrentThreadAllocatedBytes();
        long start = THREADS.getCurrentThreadCpuTime(); // CPU time: wall time also counts waiting for a core
        try {
            ParsedDocument doc = parsers.parse(name, bytes);
            assertNotNull(doc.text());
            assertFalse(doc.text().isBlank());
        } catch (DocumentParseException e) {
            assertNotNull(e.reason());
            assertTrue(isPlain(e.getMessage()), "library text in the message: " + e.getMessage());
        }
        long millis = (THREADS.getCurrentThreadCpuTime() - start) / 1_000_000;
        long mb = (THREADS.getCurrentThreadAllocatedBytes() - allocated) >> 20;
        assertTrue(millis <= MAX_MILLIS, name + " took " + millis + " ms of CPU time");
        assertTrue(mb <= MAX_ALLOCATED_MB, name + " allocated " + mb + " MB");
    }

    /** Whether a message is free of library class names and stack frames. */
    static boolean isPlain(String message) {
        return !LIBRARY_NAME.matcher(message).find();
    }

    // --- inputs ---

    /** Random bytes, or the seed truncated, bit-flipped, with bytes inserted or a piece repeated. */
    static byte[] mutate(byte[] seed, Random random) {
        switch (random.nextInt(6)) {
            case 0 -> {
                byte[] noise = new byte[1 + random.nextInt(4096)];
                random.nextBytes(noise);
                return noise;
            }
            case 1 -> {
                return java.util.Arrays.copyOf(seed, 1 + random.nextInt(seed.length));
            }
            case 2, 3 -> {
                byte[] flipped = seed.clone();
                for (int i = 1 + random.nextInt(16); i > 0; i--) {
                    flipped[random.nextInt(flipped.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return flipped;
            }
            case 4 -> {
                int at = random.nextInt(seed.length);
                byte[] inserted = new byte[1 + random.nextInt(64)];
                random.nextBytes(inserted);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(seed, 0, at);
                out.writeBytes(inserted);
                out.write(seed, at, seed.length - at);
                return out.toByteArray();
            }
            default -> {
                int from = random.nextInt(seed.length);
                int length = 1 + random.nextInt(Math.min(64, seed.length - from));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(seed, 0, from + length);
                for (int i = random.nextInt(2_000); i > 0; i--) {
                    out.write(seed, from, length);
                }
                out.write(seed, from + length, seed.length - from - length);
                return out.toByteArray();
            }
        }
    }

    /** Half the time the zip itself is damaged; otherwise one XML part is, inside a sound zip. */
    static byte[] mutateOffice(byte[] seed, String part, Random random) {
        if (random.nextBoolean()) {
            return mutate(seed, random);
        }
        try {
            Map<String, byte[]> entries = HostileFiles.unzip(seed);
            byte[] xml = entries.get(part);
            byte[] damaged = switch (random.nextInt(4)) {
                case 0 -> utf8("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"" + "b".repeat(random.nextInt(100))
                        + "\">]>" + new String(xml, StandardCharsets.UTF_8).replaceFirst("<\\?xml[^>]*>", ""));
                case 1 -> utf8(new String(xml, StandardCharsets.UTF_8).replaceFirst("(<[a-z]+:body>|<[a-z]+:sheetData>"
                        + "|<p:spTree>)", "$1" + "<x:y xmlns:x=\"u\">".repeat(1 + random.nextInt(20_000))));
                default -> mutate(xml, random);
            };
            entries.put(part, damaged);
            return HostileFiles.zip(entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code open} repeated up to 20,000 times, each indented by {@code indent} more, with a word inside. */
    static byte[] nested(Random random, String open, String indent, String lineEnd) {
        StringBuilder s = new StringBuilder();
        int depth = 1 + random.nextInt(20_000);
        for (int i = 0; i < depth; i++) {
            s.append(indent.repeat(Math.min(i, 200))).append(open).append(lineEnd);
        }
        return utf8(s.append("字").toString());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] pdf() {
        try {
            return TestDocuments.pdf(List.of(List.of("Hello world", "", "Second paragraph"), List.of("Page two")),
                    "title", null, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A 160 x 60 page with a few dark strokes, encoded by ImageIO in {@code format}. */
    private static byte[] image(String format) {
        BufferedImage page = new BufferedImage(160, 60, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = page.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 160, 60);
        g.setColor(Color.BLACK);
        for (int x = 10; x < 150; x += 12) {
            g.fillRect(x, 20, 8, 3);
            g.fillRect(x + 3, 14, 2, 16);
        }
        g.dispose();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            if (!ImageIO.write(page, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Small valid OOXML files built with POI. */
    enum OfficeParsersTestFiles { DOCX, XLSX, PPTX }

    private static byte[] office(OfficeParsersTestFiles kind) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            switch (kind) {
                case DOCX -> {
                    return OfficeParsersTest.sampleDocx();
                }
                case XLSX -> {
                    try (XSSFWorkbook workbook = new XSSFWorkbook()) {
                        var sheet = workbook.createSheet("名单");
                        sheet.createRow(0).createCell(0).setCellValue("姓名");
                        sheet.getRow(0).createCell(1).setCellValue("城市");
                        sheet.createRow(1).createCell(0).setCellValue("张三");
                        sheet.getRow(1).createCell(1).setCellValue("北京");
                        workbook.write(out);
                    }
                }
                default -> {
                    try (XMLSlideShow show = new XMLSlideShow()) {
                        var slide = show.createSlide();
                        slide.createTextBox().setText("幻灯片的文字");
                        show.write(out);
                    }
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
