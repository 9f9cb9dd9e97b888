package io.yinghuo.ingest.parse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The text a user gets back from Chinese files in the encodings they really have: a page that declares GB2312 but
 * uses GBK and GB18030 characters (as browsers allow, WHATWG Encoding Standard: gb2312 and gbk are labels of GBK,
 * decoded by the gb18030 decoder), a byte order mark that outranks a declaration, and the UTF-8 or GBK decision for
 * files without any declaration.
 */
class ChineseEncodingsTest {

    private static final Charset GB18030 = Charset.forName("GB18030");
    /** 镕 is GBK but not GB2312; 𠮷 (U+20BB7) needs a four-byte GB18030 sequence. */
    private static final String BEYOND_GB2312 = "朱镕基说𠮷野家的牛肉饭很好吃。";

    private final DocumentParsers parsers = DocumentParsers.withDefaults();

    private static String page(String charset, String body) {
        return "<!DOCTYPE html><html><head><meta charset=\"" + charset + "\"><title>报道</title></head><body><p>"
                + body + "</p></body></html>";
    }

    @ParameterizedTest
    @ValueSource(strings = {"gb2312", "GB2312", "gbk", "GBK", "x-gbk", "gb18030"})
    void aPageDeclaringAnyGbEncodingKeepsCharactersBeyondGb2312(String declared) throws Exception {
        ParsedDocument doc = parsers.parse("news.html", page(declared, BEYOND_GB2312).getBytes(GB18030));
        assertEquals(BEYOND_GB2312, doc.text());
        assertEquals("报道", doc.title());
    }

    @Test
    void aPageDeclaringUtf8IsReadAsUtf8() throws Exception {
        ParsedDocument doc = parsers.parse("news.html",
                page("utf-8", BEYOND_GB2312).getBytes(StandardCharsets.UTF_8));
        assertEquals(BEYOND_GB2312, doc.text());
    }

    @Test
    void aByteOrderMarkOutranksTheDeclaredCharset() throws Exception {
        byte[] body = page("gb2312", "北京欢迎你。").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream utf8 = new ByteArrayOutputStream();
        utf8.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        utf8.write(body);
        assertEquals("北京欢迎你。", parsers.parse("bom.html", utf8.toByteArray()).text());

        ByteArrayOutputStream utf16 = new ByteArrayOutputStream();
        utf16.write(new byte[] {(byte) 0xFF, (byte) 0xFE});
        utf16.write(page("gbk", "上海欢迎你。").getBytes(StandardCharsets.UTF_16LE));
        assertEquals("上海欢迎你。", parsers.parse("bom16.html", utf16.toByteArray()).text());
    }

    @Test
    void aPageWithAnUnknownCharsetNameIsDetected() throws Exception {
        ParsedDocument doc = parsers.parse("news.html", page("x-no-such-charset", "广州欢迎你。").getBytes(GB18030));
        assertEquals("广州欢迎你。", doc.text());
    }

    @Test
    void gbkBytesThatLookLikeBrokenUtf8AreReadAsGbk() throws Exception {
        // "联通" in GBK is C1 AA CD A8: once famous for being taken for UTF-8 by Notepad.
        for (String text : List.of("联通", "联通公司", "我们的会议定在下周一上午九点。")) {
            ParsedDocument doc = parsers.parse("gbk.txt", text.getBytes(Charset.forName("GBK")));
            assertEquals(text, doc.text());
            assertEquals(List.of(), doc.warnings(), "nothing was replaced");
        }
    }

    @Test
    void utf8WithOneDamagedByteStaysUtf8AndSaysSo() throws Exception {
        String text = "长江是中国第一长河，全长六千三百公里，流经十一个省份。".repeat(3);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length / 2 - (bytes.length / 2) % 3] = (byte) 0xFF; // the first byte of one character
        ParsedDocument doc = parsers.parse("damaged.txt", bytes);
        assertTrue(doc.text().startsWith("长江是中国第一长河"), doc.text());
        assertEquals(1, doc.warnings().size(), doc.warnings().toString());
        assertEquals(List.of("UTF-8"), doc.warnings().get(0).args().subList(1, 2));
        assertFalse(doc.text().contains("锟"), "not read as GBK mojibake");
    }

    @Test
    void gbkWithOneDamagedPairStaysGbkAndSaysSo() throws Exception {
        String text = "黄河是中国第二长河，全长五千四百六十四公里，流经九个省区。".repeat(3);
        byte[] bytes = text.getBytes(GB18030);
        int at = bytes.length / 2 - (bytes.length / 2) % 2;
        bytes[at] = (byte) 0xFF; // one character's two bytes, neither a valid lead byte: the rest stays aligned
        bytes[at + 1] = (byte) 0xFF;
        ParsedDocument doc = parsers.parse("damaged.txt", bytes);
        assertTrue(doc.text().startsWith("黄河是中国第二长河"), doc.text());
        assertEquals(1, doc.warnings().size(), doc.warnings().toString());
        assertEquals(List.of("2", "GB18030"), doc.warnings().get(0).args());
    }
}
