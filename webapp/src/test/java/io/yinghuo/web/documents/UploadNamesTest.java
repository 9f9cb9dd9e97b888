package io.yinghuo.web.documents;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The name an upload is listed under: the last segment of what the browser sent, visible characters only, capped. */
class UploadNamesTest {

    @Test
    void onlyTheLastPathSegmentOfWhatTheBrowserSentIsKept() {
        assertEquals("报告.pdf", UploadNames.clean("C:\\Users\\张三\\报告.pdf"));
        assertEquals("passwd", UploadNames.clean("../../etc/passwd"));
        assertEquals("合同.docx", UploadNames.clean(" 合\u202E同.docx\u0007 "));
        for (String nothing : new String[] {"", ".", "..", "a/", "\u200F\u202A", " \t"}) {
            assertNull(UploadNames.clean(nothing), nothing);
        }
        assertNull(UploadNames.clean(null));
    }

    @Test
    void aLongNameIsCutToTheLimitKeepingAShortExtension() {
        String exact = "长".repeat(UploadNames.MAX_CHARS - 4) + ".pdf";
        assertEquals(exact, UploadNames.clean(exact), "exactly the limit is kept whole");

        String longer = "长".repeat(UploadNames.MAX_CHARS) + ".pdf";
        String cut = UploadNames.clean(longer);
        assertEquals(UploadNames.MAX_CHARS, cut.length());
        assertEquals("长".repeat(UploadNames.MAX_CHARS - 4) + ".pdf", cut);

        String tenCharacterExtension = "长".repeat(UploadNames.MAX_CHARS) + ".abcdefghi";
        assertEquals(".abcdefghi", UploadNames.clean(tenCharacterExtension).substring(UploadNames.MAX_CHARS - 10));
        String notAnExtension = "长".repeat(UploadNames.MAX_CHARS) + ".abcdefghij";
        assertEquals("长".repeat(UploadNames.MAX_CHARS), UploadNames.clean(notAnExtension),
                "eleven characters after the dot are part of the name");
        String hidden = "." + "x".repeat(UploadNames.MAX_CHARS + 5);
        assertEquals(hidden.substring(0, UploadNames.MAX_CHARS), UploadNames.clean(hidden),
                "a leading dot starts no extension");
    }

    @Test
    void theExtensionIsWhatFollowsTheLastDotInLowerCase() {
        assertEquals("pdf", UploadNames.extension("年报.2024.PDF"));
        assertEquals("", UploadNames.extension("README"));
        assertEquals("bashrc", UploadNames.extension(".bashrc"));
        assertEquals("", UploadNames.extension("archive."));
    }
}
