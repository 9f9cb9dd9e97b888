package io.yinghuo.ingest.chunk;

import io.yinghuo.ingest.parse.ParsedDocument;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The promises of {@link ChineseChunker}, checked on any document. */
final class ChunkInvariants {

    private ChunkInvariants() {
    }

    static void check(ParsedDocument doc, List<Chunk> chunks, ChunkerConfig config, TokenCounter counter) {
        String text = doc.text();
        boolean[] covered = new boolean[text.length()];
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            String where = doc.title() + " chunk " + i;
            assertEquals(i, c.index(), where);
            assertEquals(text.substring(c.start(), c.end()), c.text(), where + ": text is the document substring");
            assertEquals(c.text().strip(), c.text(), where + ": trimmed");
            assertEquals(counter.count(c.text()), c.tokenCount(), where);
            assertTrue(c.tokenCount() <= config.maxTokens(), where + ": " + c.tokenCount() + " tokens");
            for (int k = c.start(); k < c.end(); k++) {
                covered[k] = true;
            }
            // Page and heading are those at the chunk's start, and the chunk stays inside them.
            for (ParsedDocument.PageSpan p : doc.pages()) {
                if (p.start() <= c.start() && c.start() < p.end()) {
                    assertEquals(p.page(), c.page(), where);
                    assertTrue(c.end() <= p.end(), where + " crosses the end of page " + p.page());
                }
            }
            String heading = "";
            for (ParsedDocument.Section s : doc.sections()) {
                if (s.start() <= c.start() && c.start() < s.end()) {
                    heading = s.headingPath();
                    assertTrue(c.end() <= s.end(), where + " crosses the end of section " + s.headingPath());
                }
                if (c.start() < s.start() && s.start() < c.end()) {
                    fail(where + " crosses the start of section " + s.headingPath());
                }
            }
            assertEquals(heading, c.headingPath(), where);
            if (i > 0) {
                Chunk prev = chunks.get(i - 1);
                assertTrue(c.start() > prev.start() && c.end() > prev.end(), where + ": chunks advance");
                if (c.start() < prev.end()) {
                    // Overlap: whole sentences at the end of the previous chunk, within the overlap budget.
                    int overlapTokens = counter.count(text, c.start(), prev.end());
                    assertTrue(overlapTokens <= config.overlapTokens() + 2,
                            where + ": overlap of " + overlapTokens + " tokens");
                    assertTrue(isUnitStart(text, c.start()), where + ": overlap starts at a sentence start");
                }
            }
        }
        for (int k = 0; k < covered.length; k++) {
            if (!covered[k] && !Character.isWhitespace(text.charAt(k))) {
                fail("character " + k + " '" + text.charAt(k) + "' of " + doc.title() + " is in no chunk");
            }
        }
    }

    /** Start of text/line, or right after a sentence end (possibly followed by closers and spaces). */
    static boolean isUnitStart(String text, int offset) {
        int k = offset - 1;
        while (k >= 0 && (text.charAt(k) == ' ' || text.charAt(k) == '\t' || text.charAt(k) == '\u3000')) {
            k--;
        }
        if (k < 0 || text.charAt(k) == '\n') {
            return true;
        }
        while (k >= 0 && SentenceSplitter.isCloser(text.charAt(k))) {
            k--;
        }
        return k >= 0 && (SentenceSplitter.isTerminator(text.charAt(k)) || text.charAt(k) == '，'
                || text.charAt(k) == '、' || text.charAt(k) == ',' || text.charAt(k) == '；' || text.charAt(k) == ':'
                || text.charAt(k) == '：' || text.charAt(k) == ';');
    }
}
