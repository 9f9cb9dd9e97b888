package io.yinghuo.ingest.parse;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which failures reach the log as warnings: one whose innermost frame outside the JDK is a parsing library's is a
 * damaged file refused (debug, one line per document); one that starts in our code is a bug of ours (warn). And what
 * of a library's own message a user may see.
 */
class RefusalLogTest {

    private static Throwable thrownAt(String... classNames) {
        RuntimeException e = new RuntimeException("x");
        StackTraceElement[] frames = new StackTraceElement[classNames.length];
        for (int i = 0; i < classNames.length; i++) {
            frames[i] = new StackTraceElement(classNames[i], "m", classNames[i] + ".java", 1);
        }
        e.setStackTrace(frames);
        return e;
    }

    @Test
    void aFailureInsideAParsingLibraryIsARefusalAndOneInOurCodeIsABug() {
        for (String library : new String[]{"org.apache.pdfbox.pdfparser.COSParser",
                "org.apache.poi.ooxml.POIXMLDocument", "com.fasterxml.jackson.core.JsonParser", "org.jsoup.parser.Parser",
                "org.commonmark.parser.Parser", "com.ibm.icu.text.CharsetDetector", "javax.imageio.ImageIO",
                "com.sun.imageio.plugins.png.PNGImageReader", "java.util.zip.Inflater"}) {
            assertTrue(RefusalLog.thrownByLibrary(thrownAt(library, "io.yinghuo.ingest.parse.PdfParser")), library);
            assertTrue(RefusalLog.thrownByLibrary(thrownAt("java.util.ArrayList", "jdk.internal.util.Preconditions",
                    "sun.nio.cs.UTF_8", library, "io.yinghuo.ingest.parse.PdfParser")), "under JDK frames: " + library);
        }
        assertFalse(RefusalLog.thrownByLibrary(thrownAt("io.yinghuo.ingest.parse.PdfTables",
                "org.apache.pdfbox.text.PDFTextStripper")), "our code called back by the library: ours");
        assertFalse(RefusalLog.thrownByLibrary(thrownAt("java.util.ArrayList", "io.yinghuo.ingest.parse.CsvParser")));
        assertFalse(RefusalLog.thrownByLibrary(thrownAt("java.util.ArrayList", "java.lang.Thread")), "JDK only");
        assertFalse(RefusalLog.thrownByLibrary(null));
    }

    @Test
    void aLibrarysMessageIsShownWithoutJavaNamesAndCutToALine() {
        assertEquals("", LibraryText.plain(null));
        assertEquals("Unexpected character ('x') at line 3, column 7",
                LibraryText.plain("Unexpected character ('x') at  line 3,\n column 7"));
        assertEquals("nesting depth exceeds the maximum (use to raise it)", LibraryText.plain(
                "nesting depth exceeds the maximum (use `StreamReadConstraints.getMaxNestingDepth()` to raise it)"));
        assertEquals("at is not a part",
                LibraryText.plain("at org.apache.poi.openxml4j.opc.PackagePart is not a part"));
        String line = "长".repeat(200);
        assertEquals(line, LibraryText.plain(line), "200 characters are one line");
        assertEquals("长".repeat(199) + "…", LibraryText.plain(line + "江"));
    }
}
