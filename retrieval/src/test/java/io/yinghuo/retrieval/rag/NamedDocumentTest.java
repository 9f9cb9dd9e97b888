package io.yinghuo.retrieval.rag;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The names a question may use for a document, and when a bare file name is unambiguous. */
class NamedDocumentTest {

    @Test
    void aDocumentIsNamedByItsTitleItsFileNameAndThatWithoutTheExtension() {
        NamedDocument doc = NamedDocument.of("d1", "2023年度报告", "年度报告.pdf");
        assertEquals("d1", doc.docId());
        assertEquals(List.of("2023年度报告", "年度报告.pdf", "年度报告"), doc.names());
    }

    @Test
    void anUploadedPathAlsoGivesItsLastSegmentWithEitherSeparator() {
        assertEquals(List.of("预算说明", "财务/2024/预算说明.docx", "预算说明.docx"),
                NamedDocument.of("d", "预算说明", "财务/2024/预算说明.docx").names());
        assertEquals(List.of("财务\\预算说明.docx", "预算说明.docx", "预算说明"),
                NamedDocument.of("d", null, "财务\\预算说明.docx").names());
        // The last separator counts, whichever kind it is.
        assertEquals(List.of("a\\b/c.txt", "c.txt", "c"), NamedDocument.of("d", "", "a\\b/c.txt").names());
        assertEquals(List.of("a/b\\c.txt", "c.txt", "c"), NamedDocument.of("d", "", "a/b\\c.txt").names());
    }

    @Test
    void blankAndRepeatedNamesAreLeftOutAndNamesAreTrimmed() {
        assertEquals(List.of("长江.txt", "长江"), NamedDocument.of("d", "  ", "长江.txt").names());
        assertEquals(List.of("长江", "长江.txt"), NamedDocument.of("d", " 长江 ", "长江.txt").names());
        assertEquals(List.of("长江"), NamedDocument.of("d", "长江", null).names());
        assertEquals(List.of(), NamedDocument.of("d", null, null).names());
    }

    @Test
    void aHiddenFilesLeadingDotIsNotAnExtension() {
        assertEquals(List.of(".env"), NamedDocument.of("d", null, ".env").names());
        assertEquals(List.of("notes/.env", ".env"), NamedDocument.of("d", null, "notes/.env").names());
        assertEquals(List.of("a.b.txt", "a.b"), NamedDocument.of("d", null, "a.b.txt").names());
    }

    @Test
    void theNamesCannotBeChangedAfterwardsAndAnIdIsRequired() {
        List<String> names = new ArrayList<>(List.of("长江"));
        NamedDocument doc = new NamedDocument("d", names);
        names.add("黄河");
        assertEquals(List.of("长江"), doc.names());
        assertThrows(UnsupportedOperationException.class, () -> doc.names().add("黄河"));
        NullPointerException e = assertThrows(NullPointerException.class, () -> NamedDocument.of(null, "长江", null));
        assertEquals("docId", e.getMessage());
    }

    @Test
    void aFileExtensionIsUpToFiveLettersOrDigitsAfterTheLastDot() {
        assertTrue(NamedDocument.hasExtension("报告.pdf"));
        assertTrue(NamedDocument.hasExtension("报告.PDF"));
        assertTrue(NamedDocument.hasExtension("a.x"));
        assertTrue(NamedDocument.hasExtension("表格.xlsx"));
        assertTrue(NamedDocument.hasExtension("页面.shtml"), "five characters");
        assertTrue(NamedDocument.hasExtension("数据.mp4"), "digits count");
        assertFalse(NamedDocument.hasExtension("数据.backup"), "six characters");
        assertFalse(NamedDocument.hasExtension("报告"), "no dot");
        assertFalse(NamedDocument.hasExtension("报告."), "nothing after the dot");
        assertFalse(NamedDocument.hasExtension(".pdf"), "a leading dot names a hidden file");
        assertFalse(NamedDocument.hasExtension("版本1.0 草稿"), "a space after the dot");
        assertFalse(NamedDocument.hasExtension("a.tar-gz"), "a hyphen");
        assertTrue(NamedDocument.hasExtension("a.tar.gz"), "the last dot counts");
    }
}
