package io.yinghuo.ingest.parse;

import java.util.List;

/**
 * Writes a table (DOCX, or one found on a PDF page) as text a chunk can carry on its own: the first row is the
 * header, written as a tab-separated line; each further row with as many cells becomes a "header: value; ..." line
 * as for XLSX and CSV, so that a chunk holding a row still says what each value is. A row of another width (merged
 * cells) stays tab-separated.
 */
final class TableRows {

    private TableRows() {
    }

    /** @param rows the table's rows, each cell's text already on one line */
    static void write(List<List<String>> rows, DocumentTextBuilder out) {
        List<String> header = null;
        for (List<String> cells : rows) {
            if (cells.stream().allMatch(String::isEmpty)) {
                continue;
            }
            if (header == null || header.size() != cells.size() || header.stream().allMatch(String::isEmpty)) {
                if (header == null) {
                    header = cells;
                }
                out.paragraph(String.join("\t", cells));
                continue;
            }
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cells.size(); c++) {
                if (cells.get(c).isEmpty()) {
                    continue;
                }
                if (line.length() > 0) {
                    line.append(CsvParser.PAIR_SEPARATOR);
                }
                line.append(header.get(c).isEmpty() ? "" : header.get(c) + ": ").append(cells.get(c));
            }
            out.paragraph(line);
        }
    }
}
