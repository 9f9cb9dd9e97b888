package io.yinghuo.ingest.parse;

import io.yinghuo.ingest.SharedFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextDecodingTest {

    static final List<String> SIMPLIFIED = List.of(
            "你好",
            "中文",
            "你好，世界！",
            "今天天气很好。",
            "报告",
            "第一章 总则\n为了规范数据处理活动，保障数据安全，促进数据开发利用，保护个人、组织的合法权益，制定本法。",
            "萤火是一个在本地运行的中文文档问答系统。它把上传的文件切成段落，建立索引，然后用大模型回答问题，并给出出处和页码。"
                    + "用户最常抱怨的是乱码、扫描件没有提示、以及答案找不到原文。本系统对这些情况都给出清楚的说明。");
    static final List<String> TRADITIONAL = List.of(
            "中文",
            "臺灣",
            "今天天氣很好。",
            "測試檔案",
            "新約聖經是基督教的經典，由二十七卷書組成。學者對於各卷的作者與成書年代一直有爭論，多數人認為成書於公元一世紀。",
            "雅各書的作者在書信起頭表明自己是「雅各，上帝和主耶穌基督的僕人」。3世紀中葉，教父們引用此書時註記為「公義者雅各」所寫。");

    @ParameterizedTest
    @ValueSource(strings = {"GB18030", "GBK", "UTF-8", "UTF-16LE", "UTF-16BE"})
    void simplifiedRoundTrips(String charsetName) throws Exception {
        for (String text : SIMPLIFIED) {
            assertRoundTrip(text, Charset.forName(charsetName), charsetName.startsWith("UTF-16"));
        }
    }

    /**
     * BOM-less UTF-16 of a few Chinese characters can be valid ASCII ("你好" is 60 4F 7D 59 = "`O}Y"): no detector can
     * tell, so short UTF-16 samples carry the BOM Windows writes. Longer ones are recognised without it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"UTF-16LE", "UTF-16BE"})
    void longUtf16WithoutBom(String charsetName) throws Exception {
        Charset charset = Charset.forName(charsetName);
        String text = SIMPLIFIED.get(SIMPLIFIED.size() - 1) + "\n" + TRADITIONAL.get(TRADITIONAL.size() - 1);
        assertEquals(text, TextDecoding.decode("a.txt", text.getBytes(charset)).text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Big5", "GB18030", "UTF-8", "UTF-16LE", "UTF-16BE"})
    void traditionalRoundTrips(String charsetName) throws Exception {
        for (String text : TRADITIONAL) {
            assertRoundTrip(text, Charset.forName(charsetName), charsetName.startsWith("UTF-16"));
        }
    }

    /** Whole CMRC (Simplified) and DRCD (Traditional) documents, and their first 30 characters. */
    @ParameterizedTest
    @ValueSource(strings = {"cmrc2018_documents.jsonl:GB18030", "cmrc2018_documents.jsonl:GBK",
            "drcd_documents.jsonl:Big5", "drcd_documents.jsonl:GB18030"})
    void realDocumentsRoundTrip(String spec) throws Exception {
        String[] parts = spec.split(":");
        Charset charset = Charset.forName(parts[1]);
        CharsetEncoder encoder = charset.newEncoder();
        ObjectMapper json = new ObjectMapper();
        int checked = 0;
        for (String line : Files.readAllLines(SharedFiles.dataFileOrSkip(parts[0]))) {
            String text = json.readTree(line).get("text").asText();
            StringBuilder encodable = new StringBuilder();
            text.codePoints().filter(cp -> encoder.canEncode(new String(Character.toChars(cp))))
                    .forEach(encodable::appendCodePoint);
            String sample = encodable.toString();
            assertRoundTrip(sample, charset, false);
            assertRoundTrip(sample.substring(0, Math.min(30, sample.length())), charset, false);
            if (++checked == 60) {
                break;
            }
        }
    }

    @Test
    void bomsAreRecognisedAndRemoved() throws Exception {
        String text = "带BOM的文本\nsecond line";
        byte[] utf8 = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, text.getBytes(StandardCharsets.UTF_8));
        assertEquals(text, TextDecoding.decode("a.txt", utf8).text());
        byte[] le = concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, text.getBytes(StandardCharsets.UTF_16LE));
        assertEquals(text, TextDecoding.decode("a.txt", le).text());
        byte[] be = concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, text.getBytes(StandardCharsets.UTF_16BE));
        assertEquals(text, TextDecoding.decode("a.txt", be).text());
    }

    @Test
    void bomLessUtf16WithAsciiIsRecognisedByZeroBytes() throws Exception {
        String text = "Hello, this is UTF-16 without a byte order mark. 中文也在这里。";
        assertEquals(text, TextDecoding.decode("a.txt", text.getBytes(StandardCharsets.UTF_16LE)).text());
        assertEquals(text, TextDecoding.decode("a.txt", text.getBytes(StandardCharsets.UTF_16BE)).text());
    }

    @Test
    void lineEndsAreNormalised() throws Exception {
        byte[] bytes = "一\r\n二\r三\n".getBytes(StandardCharsets.UTF_8);
        assertEquals("一\n二\n三\n", TextDecoding.decode("a.txt", bytes).text());
    }

    @Test
    void truncatedUtf8IsStillUtf8() throws Exception {
        byte[] full = "截断的文件".getBytes(StandardCharsets.UTF_8);
        byte[] cut = java.util.Arrays.copyOf(full, full.length - 1);
        TextDecoding.DecodedText decoded = TextDecoding.decode("a.txt", cut);
        assertEquals("UTF-8", decoded.charset());
        assertTrue(decoded.text().startsWith("截断的文"));
    }

    @Test
    void binaryJunkIsRefused() {
        byte[] junk = new byte[4096];
        new Random(42).nextBytes(junk);
        DocumentParseException e = assertThrows(DocumentParseException.class, () -> TextDecoding.decode("x.txt", junk));
        assertEquals(DocumentParseException.Reason.BINARY, e.reason());
        assertEquals("x.txt: looks like binary data, not text", e.getMessage());

        byte[] noZeros = new byte[2048];
        Random random = new Random(7);
        for (int i = 0; i < noZeros.length; i++) {
            noZeros[i] = (byte) (1 + random.nextInt(255));
        }
        assertThrows(DocumentParseException.class, () -> TextDecoding.decode("y.txt", noZeros));

        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13};
        DocumentParseException p = assertThrows(DocumentParseException.class, () -> TextDecoding.decode("p.txt", png));
        assertEquals("p.txt: looks like binary data (PNG image), not text", p.getMessage());
    }

    @Test
    void latin1TextFallsBackToAnIcuGuess() throws Exception {
        String text = "Café crème brûlée, à la française. Les élèves étaient très contents de l'été.";
        assertEquals(text, TextDecoding.decode("a.txt", text.getBytes(Charset.forName("windows-1252"))).text());
    }

    private static void assertRoundTrip(String text, Charset charset, boolean utf16WithoutBomMayNeedBom)
            throws DocumentParseException {
        byte[] bytes = text.getBytes(charset);
        if (utf16WithoutBomMayNeedBom) {
            byte[] bom = charset.name().endsWith("LE") ? new byte[] {(byte) 0xFF, (byte) 0xFE}
                    : new byte[] {(byte) 0xFE, (byte) 0xFF};
            bytes = concat(bom, bytes);
        }
        String decoded = TextDecoding.decode("sample.txt", bytes).text();
        assertEquals(text, decoded, () -> charset + " round trip of \"" + text + "\"");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
