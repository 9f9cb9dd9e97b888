package io.yinghuo.ingest.parse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CSV/TSV (RFC 4180 quoting, charset as for text files). Each data row becomes one line of "header: value" pairs
 * ("姓名: 张三; 城市: 北京"), so every chunk carries the column names a question will use. The delimiter is a tab
 * for .tsv, otherwise whichever of comma, semicolon, tab or '|' splits the first lines most consistently. Title rows
 * above the table (one filled cell each) become lines of their own, and the header is the row after them. A first
 * row containing a purely numeric cell is taken as data, not as a header. A header whose columns do not all appear
 * in some data row (a header wider than the data, or with a cell no row fills) is also written as a line of its own:
 * otherwise its unused names would vanish from the index unseen.
 */
public final class CsvParser implements DocumentParser {

    static final String PAIR_SEPARATOR = "; ";

    private final int maxCharacters;
    private final char fixedDelimiter;

    /** @param tabSeparated true for .tsv files */
    public CsvParser(ParseLimits limits, boolean tabSeparated) {
        this.maxCharacters = limits.maxCharacters();
        this.fixedDelimiter = tabSeparated ? '\t' : 0;
    }

    @Override
    public String format() {
        return "csv";
    }

    @Override
    public ParsedDocument parse(String fileName, byte[] bytes) throws DocumentParseException {
        TextDecoding.DecodedText decoded = TextDecoding.decode(fileName, bytes);
        String text = decoded.text();
        char delimiter = fixedDelimiter != 0 ? fixedDelimiter : guessDelimiter(text);
        List<List<String>> rows = rows(text, delimiter);
        DocumentTextBuilder out = new DocumentTextBuilder(fileName, maxCharacters);
        decoded.warnings().forEach(out::warn);
        if (rows.isEmpty()) {
            return out.build(null, format());
        }
        int first = titleRows(rows);
        for (int r = 0; r < first; r++) {
            out.paragraph(DocumentTextBuilder.collapseWhitespace(String.join(" ", rows.get(r)).strip()));
        }
        rows = rows.subList(first, rows.size());
        List<String> header = rows.get(0);
        boolean hasHeader = header.size() > 1 && header.stream().noneMatch(CsvParser::isNumber)
                && header.stream().anyMatch(h -> !h.isBlank());
        StringBuilder line = new StringBuilder();
        for (int r = hasHeader ? 1 : 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            line.setLength(0);
            for (int c = 0; c < row.size(); c++) {
                String value = DocumentTextBuilder.collapseWhitespace(row.get(c));
                if (value.isEmpty()) {
                    continue;
                }
                if (line.length() > 0) {
                    line.append(PAIR_SEPARATOR);
                }
                String name = hasHeader && c < header.size() ? DocumentTextBuilder.collapseWhitespace(header.get(c))
                        : "";
                if (!name.isEmpty()) {
                    line.append(name).append(": ");
                }
                line.append(value);
            }
            out.paragraph(line);
        }
        if (hasHeader && (rows.size() == 1 || !everyColumnUsed(header, rows))) {
            out.paragraph(String.join(PAIR_SEPARATOR, header));
        }
        return out.build(null, format());
    }

    /**
     * How many rows at the top are titles above the table ("2024年销售报表", "单位：万元"): rows of one filled cell
     * before the first row of several. They are not the header; the row after them is. A file of one column has no
     * such row of several, and then nothing is a title.
     */
    private static int titleRows(List<List<String>> rows) {
        for (int r = 0; r < rows.size(); r++) {
            if (filledCells(rows.get(r)) > 1) {
                return r;
            }
        }
        return 0;
    }

    private static long filledCells(List<String> row) {
        return row.stream().filter(cell -> !cell.isBlank()).count();
    }

    /** Whether each non-blank header cell names a value in at least one data row. */
    private static boolean everyColumnUsed(List<String> header, List<List<String>> rows) {
        boolean[] used = new boolean[header.size()];
        int unused = 0;
        for (int c = 0; c < header.size(); c++) {
            used[c] = header.get(c).isBlank();
            unused += used[c] ? 0 : 1;
        }
        for (int r = 1; r < rows.size() && unused > 0; r++) {
            List<String> row = rows.get(r);
            for (int c = 0; c < Math.min(row.size(), used.length); c++) {
                if (!used[c] && !row.get(c).isBlank()) {
                    used[c] = true;
                    unused--;
                }
            }
        }
        return unused == 0;
    }

    /**
     * The candidate that splits the most of the first 20 non-blank lines into the same number of cells, weighted by
     * that number. The count is the one most of those lines share, not the first line's: a title line above the table
     * ("2024年销售报表") has no delimiter at all.
     */
    static char guessDelimiter(String text) {
        char[] candidates = {',', ';', '\t', '|'};
        String[] lines = text.lines().filter(l -> !l.isBlank()).limit(20).toArray(String[]::new);
        char best = ',';
        long bestScore = 0;
        for (char d : candidates) {
            Map<Integer, Integer> linesByCount = new HashMap<>();
            for (String l : lines) {
                int count = countOutsideQuotes(l, d);
                if (count > 0) {
                    linesByCount.merge(count, 1, Integer::sum);
                }
            }
            for (Map.Entry<Integer, Integer> shared : linesByCount.entrySet()) {
                long score = (long) shared.getKey() * shared.getValue();
                if (score > bestScore) {
                    bestScore = score;
                    best = d;
                }
            }
        }
        return best;
    }

    private static int countOutsideQuotes(String line, char d) {
        int count = 0;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == d && !quoted) {
                count++;
            }
        }
        return count;
    }

    /** RFC 4180: quoted fields may hold delimiters, line breaks and doubled quotes. Blank rows are dropped. */
    static List<List<String>> rows(String text, char delimiter) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        // Whether the field so far is blank: a quote opens a quoted field only there (asking the builder each time
        // made a long field followed by many quotes quadratic).
        boolean blank = true;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            if ((i & 0xFFFF) == 0) {
                ParseBudget.checkCurrent();
            }
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"' && blank) {
                field.setLength(0);
                quoted = true;
                blank = false;
            } else if (c == delimiter) {
                row.add(field.toString());
                field.setLength(0);
                blank = true;
            } else if (c == '\n') {
                row.add(field.toString());
                field.setLength(0);
                blank = true;
                addRow(rows, row);
                row = new ArrayList<>();
            } else {
                field.append(c);
                blank &= Character.isWhitespace(c);
            }
        }
        row.add(field.toString());
        addRow(rows, row);
        return rows;
    }

    private static void addRow(List<List<String>> rows, List<String> row) {
        if (row.stream().anyMatch(f -> !f.isBlank())) {
            rows.add(row);
        }
    }

    private static boolean isNumber(String s) {
        String t = s.strip();
        return !t.isEmpty() && t.matches("[-+]?[0-9][0-9,]*(\\.[0-9]+)?%?");
    }
}
