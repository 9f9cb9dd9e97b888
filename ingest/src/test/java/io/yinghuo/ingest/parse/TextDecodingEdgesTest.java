package io.yinghuo.ingest.parse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Encodings and text/binary decisions at their edges: what a user uploading a text file gets back. */
class TextDecodingEdgesTest {

    private static final String CHINESE = "萤火虫在夏夜里发光，照亮了回家的路。我们去看看吧。";

    @Test
    void aUtf8FileCutInsideItsLastCharacterIsStillReadAsUtf8() throws Exception {
        byte[] three = ("Total 12, 价格" + CHINESE).getBytes(StandardCharsets.UTF_8);
        byte[] four = (CHINESE + "𠀀").getBytes(StandardCharsets.UTF_8);
        for (byte[] whole : new byte[][] {three, four}) {
            String original = new String(whole, StandardCharsets.UTF_8);
            for (int cut = 1; cut < (whole == three ? 3 : 4); cut++) {
                byte[] truncated = Arrays.copyOf(whole, whole.length - cut);
                TextDecoding.DecodedText decoded = TextDecoding.decode("cut.txt", truncated);
                assertEquals("UTF-8", decoded.charset(), "cut by " + cut);
                String expected = original.substring(0, original.length() - (whole == three ? 1 : 2));
                assertTrue(decoded.text().startsWith(expected), decoded.text());
            }
        }
    }

    /**
     * A mostly English UTF-8 file cut inside its last character (an interrupted download): without the allowance for
     * the cut, its one broken sequence made it invalid UTF-8, and ICU then read "café" cut after its first byte of
     * é as windows-1252 "cafÃ". The reader gets the text with one replacement character and a warning.
     */
    @Test
    void aMostlyEnglishUtf8FileCutInsideItsLastCharacterStaysUtf8() throws Exception {
        // 退 is E9 80 80 (a continuation byte of 0x80), ก (Thai) E0 B8 81 (the lowest lead byte of three).
        for (String last : new String[] {"é", "€", "北", "退", "ก", "😀"}) {
            String prefix = "Hello world, see you at the caf";
            byte[] whole = (prefix + last).getBytes(StandardCharsets.UTF_8);
            int sequence = last.getBytes(StandardCharsets.UTF_8).length;
            for (int cut = 1; cut < sequence; cut++) {
                byte[] truncated = Arrays.copyOf(whole, whole.length - cut);
                TextDecoding.DecodedText decoded = TextDecoding.decode("cut.txt", truncated);
                String what = last + " cut by " + cut;
                assertEquals("UTF-8", decoded.charset(), what);
                assertEquals(prefix + "\uFFFD", decoded.text(), what);
                assertEquals(List.of("invalid_bytes"), decoded.warnings().stream().map(ParseWarning::code).toList(),
                        what);
            }
        }
    }

    @Test
    void bomLessUtf16IsReadWhetherItStartsWithAsciiOrHoldsOnlyChinese() throws Exception {
        String mostlyAscii = "Hello world, this is a log line. 你好。\n".repeat(5);
        TextDecoding.DecodedText be = TextDecoding.decode("be.txt", mostlyAscii.getBytes(StandardCharsets.UTF_16BE));
        assertEquals(mostlyAscii, be.text());
        String onlyChinese = CHINESE.repeat(3);
        byte[] le = onlyChinese.getBytes(StandardCharsets.UTF_16LE);
        for (byte b : le) {
            assertTrue(b != 0, "the sample must have no zero byte");
        }
        assertEquals(onlyChinese, TextDecoding.decode("le.txt", le).text());
    }

    @Test
    void aWesternLegacyFileIsReadByAGuessedCharsetNotRefusedAsBinary() throws Exception {
        // Nothing here reads as Chinese: a single-byte Latin charset is chosen (é, ç and ô read the same in all of
        // them; WesternEncodingsTest has the letters that tell them apart).
        String french = "Le café est bon. Ça va, bientôt ! Voici la gare, c'est ici.\n".repeat(4);
        TextDecoding.DecodedText decoded = TextDecoding.decode("fr.txt", french.getBytes(Charset.forName("windows-1252")));
        assertEquals(french, decoded.text(), decoded.charset());
    }

    /**
     * Short GBK files whose few characters are mostly layout (tabs, CRLF line ends, ANSI colours, ideographic spaces),
     * full-width punctuation or hanzi outside the most common ones: each reads back as written, not as a guess from
     * ICU, however little text carries the decision.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "名称\t数量\t单价\r\n梨\t5\t2\r\n桃\t8\t3\r\n",
            "梨\r\n桃\r\n杏\r\n苹果\r\n",
            "梨\n桃\n杏\n苹果\n",
            "\u001B[32m成功\u001B[0m\n\u001B[31m失败\u001B[0m\n",
            "一\f二\f三\f四\f",
            "　　　　静夜思\n　　　　　　李白\n",
            "注意！！！",
            "谢谢～～～",
            "人名用字：喆 昶 珺 彧 翀 玥 琰 婧",
    })
    void aShortGbkFileOfLayoutPunctuationOrRareHanziReadsBack(String text) throws Exception {
        TextDecoding.DecodedText decoded = TextDecoding.decode("gbk.txt", text.getBytes(Charset.forName("GBK")));
        assertEquals(TextDecoding.normalizeNewlines(text), decoded.text());
        assertEquals("GB18030", decoded.charset());
    }

    /**
     * A list of names written only with rare hanzi has no common character to prove it Chinese: it was refused as
     * binary ("喆昶珺彧翀玥琰婧") or read as Polish from windows-1250 ("喆 昶 珺 彧" as "†´ ęĆ ¬B ŹŞ"). Every byte pair is a
     * hanzi in GBK and none is glued to a Latin letter, which a Western text misread as GBK cannot manage.
     */
    @ParameterizedTest
    @ValueSource(strings = {"喆 昶 珺 彧", "喆昶珺彧翀玥琰婧", "翀\n玥\n琰\n婧\n", "赟、喆、昶", "琰婧，翀玥。"})
    void aShortGbkFileOfOnlyRareHanziIsReadAsGbk(String names) throws Exception {
        TextDecoding.DecodedText decoded = TextDecoding.decode("names.txt", names.getBytes(Charset.forName("GBK")));
        assertEquals(names, decoded.text());
        assertEquals("GB18030", decoded.charset());
    }

    /**
     * Binary data stays refused although rare hanzi now count as text: short random blobs without zero bytes, and
     * the byte pairs of rare hanzi with control codes between them.
     */
    @Test
    void binaryDataIsStillRefusedWhereItsBytePairsAreRareHanzi() throws Exception {
        for (int seed = 0; seed < 200; seed++) {
            Random random = new Random(seed);
            byte[] blob = new byte[64];
            for (int i = 0; i < blob.length; i++) {
                blob[i] = (byte) (1 + random.nextInt(255));
            }
            DocumentParseException e = assertThrows(DocumentParseException.class,
                    () -> TextDecoding.decode("blob.txt", blob), "seed " + seed);
            assertEquals(DocumentParseException.Reason.BINARY, e.reason());
        }
        byte[] names = "喆昶珺彧翀玥琰婧".getBytes(Charset.forName("GBK"));
        byte[] withControls = new byte[names.length / 2 * 3];
        for (int i = 0, j = 0; i < names.length; i += 2) {
            withControls[j++] = names[i];
            withControls[j++] = names[i + 1];
            withControls[j++] = 0x01;
        }
        DocumentParseException e = assertThrows(DocumentParseException.class,
                () -> TextDecoding.decode("names.bin", withControls));
        assertEquals(DocumentParseException.Reason.BINARY, e.reason());
    }

    /** UTF-16 without a byte order mark and without any Chinese: recognised by its zero bytes alone. */
    @Test
    void bomLessUtf16OfEnglishOnlyIsReadByItsZeroBytes() throws Exception {
        String log = "2024-05-01 12:00:01 INFO server started on port 8080\r\n".repeat(3);
        for (Charset charset : new Charset[] {StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE}) {
            TextDecoding.DecodedText decoded = TextDecoding.decode("en.log", log.getBytes(charset));
            assertEquals(TextDecoding.normalizeNewlines(log), decoded.text(), charset.name());
            assertEquals(charset.name(), decoded.charset());
        }
    }

    /** An interrupted download of BOM-less UTF-16 ends in half a character: the rest still reads. */
    @Test
    void bomLessUtf16CutToAnOddLengthStillReads() throws Exception {
        String log = "2024-05-01 12:00:01 INFO server started on port 8080\n".repeat(3);
        byte[] whole = log.getBytes(StandardCharsets.UTF_16LE);
        TextDecoding.DecodedText decoded = TextDecoding.decode("cut.log", Arrays.copyOf(whole, whole.length - 1));
        assertEquals("UTF-16LE", decoded.charset());
        assertEquals(log.substring(0, log.length() - 1) + "\uFFFD", decoded.text());
    }

    /** Notepad saves an empty "Unicode" or "UTF-8" file as its byte order mark alone: an empty text, not binary. */
    @Test
    void aFileHoldingOnlyAByteOrderMarkIsAnEmptyText() throws Exception {
        byte[][] marks = {{(byte) 0xFF, (byte) 0xFE}, {(byte) 0xFE, (byte) 0xFF}, {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}};
        for (byte[] mark : marks) {
            assertEquals("", TextDecoding.decode("empty.txt", mark).text());
            DocumentParseException empty = assertThrows(DocumentParseException.class,
                    () -> new PlainTextParser(ParseLimits.defaults()).parse("empty.txt", mark));
            assertEquals(DocumentParseException.Reason.EMPTY, empty.reason());
        }
    }

    @Test
    void lineEndsOfEveryKindBecomeNewlinesAtTheStartAndEndToo() throws Exception {
        String text = "\r\n第一行\r\n第二行\r第三行\r";
        assertEquals("\n第一行\n第二行\n第三行\n",
                TextDecoding.decode("crlf.txt", text.getBytes(StandardCharsets.UTF_8)).text());
    }

    @Test
    void aFewControlCharactersAreTextButManyAreBinary() throws Exception {
        StringBuilder few = new StringBuilder();
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            few.append("萤火虫在夏夜里发光").append(i % 10 == 0 ? "\u0001" : "");
            many.append("萤火虫在夏夜里发光").append('\u0001');
        }
        String kept = TextDecoding.decode("few.txt", few.toString().getBytes(StandardCharsets.UTF_8)).text();
        assertEquals(few.toString(), kept);
        DocumentParseException binary = assertThrows(DocumentParseException.class,
                () -> TextDecoding.decode("many.txt", many.toString().getBytes(StandardCharsets.UTF_8)));
        assertEquals(DocumentParseException.Reason.BINARY, binary.reason());
        String deletes = "萤火虫在夏夜里发光\u007F".repeat(100);
        assertThrows(DocumentParseException.class,
                () -> TextDecoding.decode("del.txt", deletes.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aColouredLogWithTabsAndFormFeedsIsText() throws Exception {
        String log = "\u001B[32mINFO\u001B[0m\t服务启动\t端口 8080\n\u001B[31mERROR\u001B[0m\t连接失败\f\n".repeat(30);
        assertEquals(log, TextDecoding.decode("app.log", log.getBytes(StandardCharsets.UTF_8)).text());
    }

    @Test
    void aByteOrderMarkDecidesEvenForTextThatIsNotChinese() throws Exception {
        String russian = "Привет, мир! Это короткий тест без китайских букв.";
        for (Charset charset : new Charset[] {StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE}) {
            byte[] body = russian.getBytes(charset);
            byte[] withBom = new byte[body.length + 2];
            byte[] bom = charset == StandardCharsets.UTF_16LE ? new byte[] {(byte) 0xFF, (byte) 0xFE}
                    : new byte[] {(byte) 0xFE, (byte) 0xFF};
            System.arraycopy(bom, 0, withBom, 0, 2);
            System.arraycopy(body, 0, withBom, 2, body.length);
            TextDecoding.DecodedText decoded = TextDecoding.decode("ru.txt", withBom);
            assertEquals(russian, decoded.text(), charset.name());
            assertEquals(charset.name(), decoded.charset());
        }
    }
}
