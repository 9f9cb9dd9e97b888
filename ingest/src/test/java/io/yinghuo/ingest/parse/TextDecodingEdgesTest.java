package io.yinghuo.ingest.parse;

import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

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
        for (String last : new String[] {"é", "€", "北", "😀"}) {
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
