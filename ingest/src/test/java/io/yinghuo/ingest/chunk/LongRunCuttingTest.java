package io.yinghuo.ingest.chunk;

import io.yinghuo.ingest.parse.ParsedDocument;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Text without sentence punctuation (a pasted table cell, an OCR page without punctuation, a JSON string) still
 * becomes chunks a model can take: cut at clause marks, then at spaces, and only then anywhere, each piece as long as
 * the target allows, and at a cost that grows with the text, not with its square.
 */
class LongRunCuttingTest {

    private static ParsedDocument plain(String text) {
        return new ParsedDocument(text, "synthetic", "text", List.of(new ParsedDocument.PageSpan(1, 0, text.length())),
                List.of());
    }

    private static List<Integer> lengths(List<Chunk> chunks) {
        return chunks.stream().map(c -> c.text().length()).toList();
    }

    @Test
    void anUnpunctuatedRunIsCutIntoPiecesAsLongAsTheTargetAllows() {
        String text = "没有标点的长文字".repeat(40) + "完"; // 321 characters, one "sentence"
        ChunkerConfig config = new ChunkerConfig(40, 8, 50);
        List<Chunk> chunks = new ChineseChunker(config, ChineseChunkerTest.CHARS).chunk(plain(text));
        ChunkInvariants.check(plain(text), chunks, config, ChineseChunkerTest.CHARS);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            expected.add(40);
        }
        expected.add(1);
        assertEquals(expected, lengths(chunks), "full pieces of the target, then the rest");
        for (int i = 0; i < chunks.size(); i++) {
            assertEquals(40 * i, chunks.get(i).start(), "pieces follow each other without gaps or overlap");
        }
    }

    @Test
    void aRunWithOnlySpacesIsCutBetweenWords() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; b.length() < 400; i++) {
            b.append("word").append(i % 10).append(' ');
        }
        String text = b.toString().strip();
        ChunkerConfig config = new ChunkerConfig(40, 8, 50);
        List<Chunk> chunks = new ChineseChunker(config, ChineseChunkerTest.CHARS).chunk(plain(text));
        ChunkInvariants.check(plain(text), chunks, config, ChineseChunkerTest.CHARS);
        assertTrue(chunks.size() >= 10, chunks.size() + " chunks");
        for (Chunk c : chunks) {
            assertTrue(c.text().matches("word\\d( word\\d)*"), "cut inside a word: '" + c.text() + "'");
        }
        for (Chunk c : chunks.subList(0, chunks.size() - 1)) {
            // Words of 5 and a space: 6 words (35 characters) fit the target of 40, a seventh would not.
            assertEquals(35, c.text().length(), "pieces are filled up to the target: '" + c.text() + "'");
        }
    }

    @Test
    void clauseMarksComeBeforeSpacesAndHardCuts() {
        String clause = "甲乙丙丁戊己庚辛壬癸子丑寅卯"; // 14 characters
        String text = String.join("：", List.of(clause, clause, clause, clause, clause, clause)) + "。";
        ChunkerConfig config = new ChunkerConfig(40, 0, 50);
        List<Chunk> chunks = new ChineseChunker(config, ChineseChunkerTest.CHARS).chunk(plain(text));
        ChunkInvariants.check(plain(text), chunks, config, ChineseChunkerTest.CHARS);
        // Two clauses with their marks (30) fit the target of 40; a third would not.
        assertEquals(List.of(clause + "：" + clause + "：", clause + "：" + clause + "：", clause + "：" + clause + "。"),
                chunks.stream().map(Chunk::text).toList());
    }

    @Test
    void cuttingAMillionCharacterRunCountsEachCharacterOnlyAFewTimes() {
        String text = "萤火虫在夏夜里发光".repeat(111_112);
        AtomicLong counted = new AtomicLong();
        TokenCounter counting = (t, start, end) -> {
            counted.addAndGet(Math.max(0, end - start));
            return EstimatingTokenCounter.INSTANCE.count(t, start, end);
        };
        List<Chunk> chunks = new ChineseChunker(ChunkerConfig.defaults(), counting).chunk(plain(text));
        assertEquals(text.length(), chunks.get(chunks.size() - 1).end(), "the whole run is in chunks");
        assertTrue(chunks.stream().allMatch(c -> c.tokenCount() <= ChunkerConfig.defaults().maxTokens()));
        // Each piece is found by doubling a window and a binary search inside it: some 10 to 20 counts per character.
        // Quadratic cutting (counting to the end of the run for every piece) counted about 10^9 characters.
        assertTrue(counted.get() < 50L * text.length(), counted.get() + " characters counted for " + text.length());
    }
}
