package io.yinghuo.ingest.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Tables on a PDF page, found from where the text is printed: a PDF has no table structure, only words at
 * positions. A gap wider than {@value #CELL_GAP} times the font size between two words of a line separates two cells
 * (a word space is about a quarter of it; Chinese text has none). A line of two or more cells opens a table; the
 * next lines, each just below the one before, continue it while each of their cells lies under at most one of its columns (the horizontal span its
 * cells took so far; a cell under none, such as a left-aligned value under a centred header, belongs to the column
 * nearest its middle), in order: rows that share the table's gutters, which loosely justified prose or two unrelated
 * columns of text do not do line after line. A row with an empty cell keeps its place. The first line is the header,
 * and {@link TableRows} writes each row with it.
 *
 * <p>The text stripper marks what it found in the page's text ({@link #CELL} between cells, {@link #ROW} at the start
 * of a line that continues the table above it), and {@link #split} reads the marks back once running headers are
 * gone. Not handled: a cell whose text wraps onto a second line (its second line ends the table), tables drawn as
 * images, right-to-left text.
 */
final class PdfTables {

    /** Between two cells of a line. */
    static final char CELL = '\t';
    /** Starts a line that continues the table of the line before it (U+001E, RECORD SEPARATOR: never printed text). */
    static final char ROW = '\u001E';
    /** In font sizes: a gap wider than this separates cells. */
    static final float CELL_GAP = 0.75f;
    /**
     * In font sizes: a row starts at most this far below the one before it (a line and a cell's padding and border
     * take about two), so that a page's header and footer, or blocks far apart, are not taken for one table.
     */
    static final float ROW_PITCH = 3.5f;

    private static final char PARAGRAPH = '\u2029';

    private PdfTables() {
    }

    /** The columns of the table being read on a page, fed one printed line at a time. */
    static final class Columns {

        private List<float[]> spans;
        private float lastY;

        /**
         * For the cells of the next line ({start, end} in page units, left to right; {@code y} its baseline, growing
         * down the page, {@code size} its font size): the column of each cell when the line continues the open table
         * (the columns widen to hold it), or null when it does not; then a line of two or more cells opens a new
         * table and a shorter one closes it.
         */
        int[] place(List<float[]> cells, float y, float size) {
            boolean below = spans != null && y > lastY && y - lastY <= ROW_PITCH * size;
            lastY = y;
            int[] columns = !below || cells.size() < 2 ? null : columnsOf(cells);
            if (columns == null) {
                spans = cells.size() >= 2 ? copy(cells) : null;
                return null;
            }
            for (int i = 0; i < cells.size(); i++) {
                float[] span = spans.get(columns[i]);
                span[0] = Math.min(span[0], cells.get(i)[0]);
                span[1] = Math.max(span[1], cells.get(i)[1]);
            }
            return columns;
        }

        int width() {
            return spans == null ? 0 : spans.size();
        }

        private int[] columnsOf(List<float[]> cells) {
            int[] columns = new int[cells.size()];
            int previous = -1;
            for (int i = 0; i < cells.size(); i++) {
                int column = -1;
                for (int c = 0; c < spans.size(); c++) {
                    if (overlaps(cells.get(i), spans.get(c))) {
                        if (column >= 0) {
                            return null; // under two columns: not a row of this table
                        }
                        column = c;
                    }
                }
                if (column < 0) {
                    column = nearest(cells.get(i));
                }
                if (column <= previous) {
                    return null;
                }
                columns[i] = previous = column;
            }
            return columns;
        }

        /**
         * The column whose room (up to halfway to its neighbours' text) holds the middle of a cell that lies under
         * no column's text: a left-aligned value under a centred header.
         */
        private int nearest(float[] cell) {
            float middle = (cell[0] + cell[1]) / 2;
            int column = 0;
            while (column + 1 < spans.size() && middle > (spans.get(column)[1] + spans.get(column + 1)[0]) / 2) {
                column++;
            }
            return column;
        }

        private static boolean overlaps(float[] a, float[] b) {
            return a[0] < b[1] && b[0] < a[1];
        }

        private static List<float[]> copy(List<float[]> cells) {
            List<float[]> copy = new ArrayList<>(cells.size());
            for (float[] cell : cells) {
                copy.add(cell.clone());
            }
            return copy;
        }
    }

    /** A run of a page's text: prose (rows null) or a table (text null, the header first). */
    record Segment(String text, List<List<String>> rows) {
    }

    /** The page's marked text as prose and tables, in order; cell marks outside a table become spaces. */
    static List<Segment> split(String page) {
        if (page.indexOf(CELL) < 0) {
            return List.of(new Segment(page, null));
        }
        String[] lines = page.split("\n", -1);
        List<Segment> segments = new ArrayList<>();
        StringBuilder prose = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].indexOf(CELL) >= 0 && i + 1 < lines.length && continues(lines[i + 1])) {
                if (!prose.isEmpty()) {
                    segments.add(new Segment(prose.toString(), null));
                    prose.setLength(0);
                }
                List<List<String>> rows = new ArrayList<>();
                rows.add(cells(lines[i]));
                while (i + 1 < lines.length && continues(lines[i + 1])) {
                    rows.add(cells(lines[++i]));
                }
                segments.add(new Segment(null, rows));
                prose.append(PARAGRAPH); // what follows a table starts a paragraph of its own
                continue;
            }
            if (!prose.isEmpty()) {
                prose.append('\n');
            }
            prose.append(lines[i].replace(CELL, ' ').replace(ROW, ' '));
        }
        if (!prose.isEmpty()) {
            segments.add(new Segment(prose.toString(), null));
        }
        return segments;
    }

    private static boolean continues(String line) {
        return line.replace(String.valueOf(PARAGRAPH), "").startsWith(String.valueOf(ROW));
    }

    private static List<String> cells(String line) {
        String bare = line.replace(String.valueOf(PARAGRAPH), "").replace(String.valueOf(ROW), "");
        List<String> cells = new ArrayList<>();
        for (String cell : bare.split(String.valueOf(CELL), -1)) {
            cells.add(DocumentTextBuilder.collapseWhitespace(cell));
        }
        return cells;
    }
}
