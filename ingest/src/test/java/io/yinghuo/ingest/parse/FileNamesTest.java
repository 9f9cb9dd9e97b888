package io.yinghuo.ingest.parse;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileNamesTest {

    @Test
    void keepsChineseAndStripsDirectories() {
        assertEquals("年度报告.pdf", FileNames.safe("年度报告.pdf"));
        assertEquals("年度报告.pdf", FileNames.safe("C:\\Users\\张三\\Desktop\\年度报告.pdf"));
        assertEquals("passwd", FileNames.safe("../../etc/passwd"));
        assertEquals("x.txt", FileNames.safe("a/b/../x.txt"));
    }

    @Test
    void neverEmptyNeverDotDot() {
        assertEquals(FileNames.FALLBACK, FileNames.safe(null));
        assertEquals(FileNames.FALLBACK, FileNames.safe(""));
        assertEquals(FileNames.FALLBACK, FileNames.safe(".."));
        assertEquals(FileNames.FALLBACK, FileNames.safe("../"));
        assertEquals(FileNames.FALLBACK, FileNames.safe("  . . "));
        assertEquals(FileNames.FALLBACK, FileNames.safe("\u0000\u0001"));
        assertEquals("hidden", FileNames.safe(".hidden"));
        assertEquals("name", FileNames.safe("name. . ."));
    }

    @Test
    void controlBidiAndForbiddenCharacters() {
        assertEquals("evilgpj.exe", FileNames.safe("evil\u202Egpj.exe"));
        assertEquals("ab.txt", FileNames.safe("a\u0000b\n.txt"));
        assertEquals("a_b_c_.txt", FileNames.safe("a<b>c?.txt"));
        assertEquals("_CON.txt", FileNames.safe("CON.txt"));
        assertEquals("_lpt1", FileNames.safe("lpt1"));
        // macOS sends decomposed characters; we store the composed form.
        assertEquals("café.txt", FileNames.safe("cafe\u0301.txt"));
    }

    @Test
    void longNamesAreCutKeepingTheExtension() {
        String name = "很长的文件名".repeat(40) + ".docx";
        String safe = FileNames.safe(name);
        assertTrue(safe.endsWith(".docx"));
        assertTrue(safe.getBytes(StandardCharsets.UTF_8).length <= FileNames.MAX_UTF8_BYTES);
        assertTrue(safe.startsWith("很长的文件名"));
    }

    @Test
    void extensionAndStem() {
        assertEquals("pdf", FileNames.extension("报告.PDF"));
        assertEquals("", FileNames.extension("README"));
        assertEquals("", FileNames.extension(".bashrc"));
        assertEquals("gz", FileNames.extension("a.tar.gz"));
        assertEquals("报告", FileNames.stem("dir/报告.pdf"));
    }
}
