package io.yinghuo.ingest.parse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Removes what a printed page repeats around its body: running headers and footers (a line at the top or bottom of
 * most pages, equal up to its digits: "年度报告 2023" or "file:///x.html 3/10") and page numbers ("- 3 -",
 * "第 3 页", "第3页 共10页", "3/10", "Page 3 of 10"). They would otherwise land in the middle of sentences that run
 * across pages and in every chunk's text. Only the first and last {@value #EDGE} lines of a page are looked at for
 * repeated lines, and only the very first and last line for page numbers, so that a number in a table near the top
 * of a page is not taken for one.
 */
final class RunningHeaders {

    static final int EDGE = 2;
    private static final char PARAGRAPH = '\u2029';
    private static final Pattern PAGE_NUMBER = Pattern.compile("(?i)"
            + "[-–—~\\s]*\\d{1,4}[-–—~\\s]*"
            + "|第\\s*\\d{1,4}\\s*[页頁](\\s*[,，/]?\\s*共\\s*\\d{1,4}\\s*[页頁])?"
            + "|\\d{1,4}\\s*/\\s*\\d{1,4}"
            + "|(page|p\\.)\\s*\\d{1,4}(\\s*(of|/)\\s*\\d{1,4})?");

    private RunningHeaders() {
    }

    /**
     * Each page's raw text ("\n"-separated lines, paragraph starts marked with U+2029) without its running headers,
     * footers and page numbers; a removed line that started a paragraph leaves the mark, so paragraphs stay apart.
     */
    static List<String> remove(List<String> pages) {
        List<String[]> lines = new ArrayList<>();
        Map<String, Integer> pagesWithKey = new HashMap<>();
        int pagesWithText = 0;
        for (String page : pages) {
            String[] pageLines = page.split("\n", -1);
            lines.add(pageLines);
            Set<String> keys = new HashSet<>();
            for (int index : edges(pageLines)) {
                keys.add(key(pageLines[index]));
            }
            keys.forEach(k -> pagesWithKey.merge(k, 1, Integer::sum));
            pagesWithText += keys.isEmpty() ? 0 : 1;
        }
        int most = Math.max(2, (pagesWithText + 1) / 2);
        List<String> cleaned = new ArrayList<>(pages.size());
        for (String[] pageLines : lines) {
            List<Integer> edges = edges(pageLines);
            for (int e = 0; e < edges.size(); e++) {
                int index = edges.get(e);
                String line = pageLines[index];
                String bare = bare(line);
                // A bare number repeats on every page too, but may be a table's: only the page-number rule takes it.
                boolean repeated = pagesWithText >= 2 && pagesWithKey.getOrDefault(key(line), 0) >= most
                        && bare.codePoints().anyMatch(Character::isLetter);
                boolean outermost = e < 2 && (index == firstNonBlank(pageLines) || index == lastNonBlank(pageLines));
                if (repeated || (outermost && PAGE_NUMBER.matcher(bare).matches())) {
                    pageLines[index] = line.indexOf(PARAGRAPH) >= 0 ? String.valueOf(PARAGRAPH) : "";
                }
            }
            cleaned.add(String.join("\n", pageLines));
        }
        return cleaned;
    }

    /** Indexes of the first and last {@link #EDGE} non-blank lines. */
    private static List<Integer> edges(String[] lines) {
        List<Integer> nonBlank = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            if (!bare(lines[i]).isEmpty()) {
                nonBlank.add(i);
            }
        }
        Set<Integer> edges = new java.util.LinkedHashSet<>();
        for (int i = 0; i < Math.min(EDGE, nonBlank.size()); i++) {
            edges.add(nonBlank.get(i));
            edges.add(nonBlank.get(nonBlank.size() - 1 - i));
        }
        return new ArrayList<>(edges);
    }

    private static int firstNonBlank(String[] lines) {
        for (int i = 0; i < lines.length; i++) {
            if (!bare(lines[i]).isEmpty()) {
                return i;
            }
        }
        return -1;
    }

    private static int lastNonBlank(String[] lines) {
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!bare(lines[i]).isEmpty()) {
                return i;
            }
        }
        return -1;
    }

    private static String bare(String line) {
        return line.replace(PARAGRAPH, ' ').strip();
    }

    /** A line up to its digits and spaces: "第 3 页" and "第 4 页" are the same running line. */
    private static String key(String line) {
        return bare(line).replaceAll("\\s+", "").replaceAll("\\d+", "#");
    }
}
