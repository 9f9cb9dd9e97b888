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

    /**
     * Japanese files from Windows are Shift_JIS: its kana bytes (0x82 and 0x83 leads) are rare hanzi in GBK, so a few
     * common hanzi among them gave the GB18030 reading a positive score, and that reading was taken without asking
     * whether another charset read better ("今日は" came back as "崱擔偼"), though ICU's detector was sure of
     * Shift_JIS. Short ones went to UTF-16 ("こんにちは" as "花英苉芿苍"). EUC-JP (Unix mail, older Japanese web pages)
     * was read as Big5 mojibake the same way: its kanji are other hanzi in Big5 and GBK.
     */
    @ParameterizedTest
    @ValueSource(strings = {"今日はいい天気ですね。明日も晴れるでしょう。", "東京都の人口は約千四百万人です。\n",
            "こんにちは", "ありがとうございます。", "第１章　総則\nこの法律は、個人情報の保護に関する基本理念を定める。\n"})
    void japaneseInShiftJisOrEucJpIsReadAsJapanese(String japanese) throws Exception {
        for (String charset : List.of("Shift_JIS", "EUC-JP")) {
            ParsedDocument doc = parsers.parse("ja.txt", japanese.getBytes(Charset.forName(charset)));
            assertEquals(japanese, doc.text(), charset);
            assertEquals(List.of(), doc.warnings(), charset);
        }
    }

    /** The other direction: Chinese GBK files, including short ones and ones about Japan or Korea, stay GB18030. */
    @ParameterizedTest
    @ValueSource(strings = {"联通", "我们的会议定在下周一上午九点。", "日本的首都是东京，人口约一千四百万。",
            "韩国的首都是首尔，大韩民国位于朝鲜半岛南部。",
            "东京都的人口", "第一章 总则\n为了规范数据处理活动，保障数据安全，制定本法。\n", "人名用字：喆 昶 珺 彧"})
    void gbkChineseIsNotTakenForJapaneseOrKorean(String chinese) throws Exception {
        TextDecoding.DecodedText decoded = TextDecoding.decode("zh.txt", chinese.getBytes(Charset.forName("GBK")));
        assertEquals(chinese, decoded.text());
        assertEquals("GB18030", decoded.charset());
    }

    /**
     * Korean files from Windows are EUC-KR or its superset code page 949. KS X 1001 keeps its hangul where GB2312 keeps
     * its most common hanzi, so Korean read as GB18030 came back as a plausible-looking text of common hanzi
     * ("대한민국은" as "措茄刮惫篮"), though ICU's detector was sure of EUC-KR.
     */
    @ParameterizedTest
    @ValueSource(strings = {"대한민국은 동아시아의 한반도 남부에 위치한 민주공화국이다. 수도는 서울특별시이다.",
            "오늘은 날씨가 정말 좋네요. 내일도 맑을 거라고 합니다.\n", "한국어 문서입니다",
            "제1조 이 법은 개인정보의 처리 및 보호에 관한 사항을 정함을 목적으로 한다.",
            "세종대왕은 훈민정음을 창제하여 백성들이 쉽게 글을 읽고 쓸 수 있도록 하였다."})
    void koreanInEucKrIsReadAsKorean(String korean) throws Exception {
        for (String charset : List.of("EUC-KR", "x-windows-949")) {
            ParsedDocument doc = parsers.parse("ko.txt", korean.getBytes(Charset.forName(charset)));
            assertEquals(korean, doc.text(), charset);
            assertEquals(List.of(), doc.warnings(), charset);
        }
    }

    @Test
    void koreanWithSyllablesBeyondEucKrIsReadAsWindows949() throws Exception {
        // 똠 and 햏 are not among KS X 1001's 2,350 syllables; code page 949 has them (lead bytes below 0xA1).
        String korean = "똠방각하는 옛날 소설의 제목이고, 햏은 인터넷에서 생긴 말이다.";
        TextDecoding.DecodedText decoded = TextDecoding.decode("ko.txt",
                korean.getBytes(Charset.forName("x-windows-949")));
        assertEquals(korean, decoded.text());
        assertEquals("x-windows-949", decoded.charset());
        assertEquals(List.of(), decoded.warnings());
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
