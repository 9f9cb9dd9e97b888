package io.yinghuo.ingest.ocr;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads Tesseract's TSV output (the {@code tsv} config): one row per page, block, paragraph, line and word, with
 * the columns level, page_num, block_num, par_num, line_num, word_num, left, top, width, height, conf, text
 * (https://tesseract-ocr.github.io/tessdoc/Command-Line-Usage.html#tsv-output). Only word rows (level 5) with text
 * are kept; their order is Tesseract's reading order.
 */
final class TesseractTsv {

    private static final int WORD_LEVEL = 5;
    private static final int COLUMNS = 12;

    private TesseractTsv() {
    }

    /** {width, height} of the first page row (level 1), or {0, 0}. */
    static int[] pageSize(String tsv) {
        for (String row : tsv.split("\r?\n")) {
            String[] cells = row.split("\t", COLUMNS);
            if (cells.length >= 10 && cells[0].equals("1")) {
                try {
                    return new int[] {Integer.parseInt(cells[8]), Integer.parseInt(cells[9])};
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        return new int[] {0, 0};
    }

    static List<RecognisedWord> words(String tsv) {
        List<RecognisedWord> words = new ArrayList<>();
        for (String row : tsv.split("\r?\n")) {
            // The text column is last and may itself contain no tab (Tesseract splits words at spaces).
            String[] cells = row.split("\t", COLUMNS);
            if (cells.length < COLUMNS || !cells[0].equals(String.valueOf(WORD_LEVEL))) {
                continue; // the header, a page/block/paragraph/line row, or a truncated line
            }
            String text = cells[11].strip();
            if (text.isEmpty()) {
                continue;
            }
            try {
                words.add(new RecognisedWord(Integer.parseInt(cells[2]), Integer.parseInt(cells[3]),
                        Integer.parseInt(cells[4]), text, Integer.parseInt(cells[6]), Integer.parseInt(cells[7]),
                        Integer.parseInt(cells[8]), Integer.parseInt(cells[9]), Float.parseFloat(cells[10])));
            } catch (NumberFormatException e) {
                // not a row of this format: ignore rather than lose the page
            }
        }
        return words;
    }
}
