package io.yinghuo.ingest.ocr;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Tesseract's TSV output (https://tesseract-ocr.github.io/tessdoc/Command-Line-Usage.html#tsv-output) as it comes
 * from a process on Windows or Linux, and what of it is a word: a damaged row costs that row, never the page.
 */
class TesseractTsvTest {

    private static final String HEADER =
            "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext";

    @Test
    void windowsLineEndsAndTheFirstPageRowGiveThePageSize() {
        String tsv = HEADER + "\r\n1\t1\t0\t0\t0\t0\t0\t0\t1654\t2339\t-1\t\r\n"
                + "5\t1\t1\t1\t1\t1\t10\t20\t30\t40\t91.5\t萤火\r\n";
        assertArrayEquals(new int[] {1654, 2339}, TesseractTsv.pageSize(tsv));
        assertEquals(List.of(new RecognisedWord(1, 1, 1, "萤火", 10, 20, 30, 40, 91.5f)), TesseractTsv.words(tsv));
    }

    @Test
    void withoutAReadablePageRowThePageSizeIsUnknown() {
        assertArrayEquals(new int[] {0, 0}, TesseractTsv.pageSize(HEADER + "\n"));
        assertArrayEquals(new int[] {0, 0}, TesseractTsv.pageSize(HEADER + "\n1\t1\t0\t0\t0\t0\t0\t0\twide\t2339\t-1\t\n"
                + "1\t2\t0\t0\t0\t0\t0\t0\t800\t600\t-1\t\n"), "a garbled page row ends the search");
        assertArrayEquals(new int[] {800, 600}, TesseractTsv.pageSize(HEADER + "\n1\t1\t0\t0\t0\t0\t0\t0\t1654\n"
                + "1\t2\t0\t0\t0\t0\t0\t0\t800\t600\n"), "a page row cut short is skipped; one cut after its height is read");
        assertArrayEquals(new int[] {0, 0}, TesseractTsv.pageSize(""));
    }

    @Test
    void onlyWholeWordRowsWithTextAreWordsAndTheirTextIsTrimmedButMayHoldATab() {
        String tsv = String.join("\n", HEADER,
                "4\t1\t1\t1\t1\t0\t10\t20\t300\t40\t-1\t",
                "5\t1\t1\t1\t1\t1\t10\t20\t30\t40\t90\t  甲  ",
                "5\t1\t1\t1\t1\t2\t40\t20\t30\t40\t90\t   ",
                "5\t1\t1\t1\t1\t3\t70\t20\t30\t40",
                "5\t1\t1\t1\t1\t4\t70\t20\t30\t40\tninety\t乙",
                "5\t1\t1\t1\t1\t5\t100\t20\t30\t40\t88\t丙\t丁",
                "50\t1\t1\t1\t1\t6\t130\t20\t30\t40\t88\t戊");
        assertEquals(List.of(new RecognisedWord(1, 1, 1, "甲", 10, 20, 30, 40, 90),
                        new RecognisedWord(1, 1, 1, "丙\t丁", 100, 20, 30, 40, 88)),
                TesseractTsv.words(tsv));
    }
}
