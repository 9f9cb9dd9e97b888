package io.yinghuo.ingest.chunk;

import io.yinghuo.ingest.parse.ParsedDocument;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChineseChunkerTest {

    /** One token per character, so sizes are easy to reason about. */
    static final TokenCounter CHARS = (text, start, end) -> end - start;

    private static ParsedDocument plain(String text) {
        return new ParsedDocument(text, "synthetic", "text", List.of(new ParsedDocument.PageSpan(1, 0, text.length())),
                List.of());
    }

    @Test
    void packsWholeSentencesWithWholeSentenceOverlap() {
        // Ten sentences of 10 characters each.
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            b.append("第").append(i).append("句话内容很短。");
            b.setLength(b.length() - 1);
            b.append("。");
        }
        String text = b.toString();
        ChunkerConfig config = new ChunkerConfig(30, 10, 40);
        List<Chunk> chunks = new ChineseChunker(config, CHARS).chunk(plain(text));
        ChunkInvariants.check(plain(text), chunks, config, CHARS);
        int sentence = SentenceSplitterLength.first(text);
        assertEquals(3 * sentence, chunks.get(0).text().length());
        // The second chunk starts with the last sentence of the first.
        assertEquals(chunks.get(0).end() - sentence, chunks.get(1).start());
        assertEquals(text.length(), chunks.get(chunks.size() - 1).end());
    }

    @Test
    void longSentenceIsCutAtCommasThenHard() {
        String clause = "这是一个很长的分句";
        String text = (clause + "，").repeat(20) + "结束。" + "短句。" + "没有标点的超长文字".repeat(12) + "。";
        ChunkerConfig config = new ChunkerConfig(40, 8, 50);
        ParsedDocument doc = plain(text);
        List<Chunk> chunks = new ChineseChunker(config, CHARS).chunk(doc);
        ChunkInvariants.check(doc, chunks, config, CHARS);
        // Comma cuts: the first chunk ends right after a "，".
        assertTrue(chunks.get(0).text().endsWith("，"), chunks.get(0).text());
        assertTrue(chunks.stream().allMatch(c -> c.tokenCount() <= 50));
    }

    @Test
    void sentencesAreNotCutWhenTheyFit() {
        String text = "甲".repeat(35) + "。" + "乙".repeat(35) + "。" + "丙".repeat(10) + "。";
        ChunkerConfig config = new ChunkerConfig(30, 5, 40);
        List<Chunk> chunks = new ChineseChunker(config, CHARS).chunk(plain(text));
        // 36-char sentences exceed the target but not the max: one chunk each, uncut.
        assertEquals(List.of("甲".repeat(35) + "。", "乙".repeat(35) + "。", "丙".repeat(10) + "。"),
                chunks.stream().map(Chunk::text).toList());
    }

    @Test
    void pagesAndSectionsAreHardBoundaries() {
        String text = "第一章\n第一页的内容。\n第二页的内容。\n第二章\n第二章的内容。";
        int page2 = text.indexOf("第二页");
        int chapter2 = text.indexOf("第二章\n");
        ParsedDocument doc = new ParsedDocument(text, "paged", "pdf",
                List.of(new ParsedDocument.PageSpan(1, 0, page2 - 1), new ParsedDocument.PageSpan(2, page2,
                        text.length())),
                List.of(new ParsedDocument.Section("第一章", 0, chapter2 - 1),
                        new ParsedDocument.Section("第二章", chapter2, text.length())));
        ChunkerConfig config = new ChunkerConfig(300, 50, 400);
        List<Chunk> chunks = new ChineseChunker(config, TokenCounter.estimator()).chunk(doc);
        ChunkInvariants.check(doc, chunks, config, TokenCounter.estimator());
        assertEquals(List.of("第一章\n第一页的内容。", "第二页的内容。", "第二章\n第二章的内容。"),
                chunks.stream().map(Chunk::text).toList());
        assertEquals(List.of(1, 2, 2), chunks.stream().map(Chunk::page).toList());
        assertEquals(List.of("第一章", "第一章", "第二章"), chunks.stream().map(Chunk::headingPath).toList());
    }

    @Test
    void surrogatePairsAreNeverSplit() {
        String text = "𠀀".repeat(100); // supplementary ideographs, two chars each, no punctuation
        ChunkerConfig config = new ChunkerConfig(15, 0, 15);
        List<Chunk> chunks = new ChineseChunker(config, CHARS).chunk(plain(text));
        ChunkInvariants.check(plain(text), chunks, config, CHARS);
        for (Chunk c : chunks) {
            assertTrue(!Character.isLowSurrogate(c.text().charAt(0)), "chunk starts inside a pair");
        }
    }

    @Test
    void aSentenceOfExactlyTheMaximumStaysWhole() {
        String sentence = "甲".repeat(39) + "。"; // 40 characters, the maximum
        String text = sentence + "乙乙乙。";
        ChunkerConfig config = new ChunkerConfig(30, 5, 40);
        List<Chunk> chunks = new ChineseChunker(config, CHARS).chunk(plain(text));
        assertEquals(List.of(sentence, "乙乙乙。"), chunks.stream().map(Chunk::text).toList());
    }

    @Test
    void clausesOfALongSentenceFillAPieceExactlyUpToTheTarget() {
        String clause = "一二三四五六七八九，"; // 10 characters with its comma
        String text = clause.repeat(8) + "十。"; // 82 characters: longer than the maximum of 50
        ChunkerConfig config = new ChunkerConfig(40, 0, 50);
        List<Chunk> chunks = new ChineseChunker(config, CHARS).chunk(plain(text));
        ChunkInvariants.check(plain(text), chunks, config, CHARS);
        // Four clauses make exactly the target of 40: they stay together.
        assertEquals(List.of(clause.repeat(4), clause.repeat(4), "十。"), chunks.stream().map(Chunk::text).toList());
    }

    @Test
    void theOverlapTakesATrailingSentenceOfExactlyTheOverlapBudget() {
        String s = "一二三四五六七八九。"; // 10 characters
        String text = s.repeat(4);
        ChunkerConfig config = new ChunkerConfig(30, 10, 40);
        List<Chunk> chunks = new ChineseChunker(config, CHARS).chunk(plain(text));
        ChunkInvariants.check(plain(text), chunks, config, CHARS);
        assertEquals(List.of(s.repeat(3), s.repeat(2)), chunks.stream().map(Chunk::text).toList());
        assertEquals(20, chunks.get(1).start(), "the second chunk repeats the first chunk's last sentence");
    }

    @Test
    void aDocumentWithoutPagesOrSectionsIsChunkedWhole() {
        String text = "第一句。第二句。";
        ParsedDocument doc = new ParsedDocument(text, "bare", "text", List.of(), List.of());
        List<Chunk> chunks = new ChineseChunker(new ChunkerConfig(300, 50, 400), TokenCounter.estimator()).chunk(doc);
        assertEquals(List.of(text), chunks.stream().map(Chunk::text).toList());
        assertEquals(1, chunks.get(0).page());
        assertEquals("", chunks.get(0).headingPath());
    }

    @Test
    void aChunkStartingWhereOneSectionEndsBelongsToTheNextSection() {
        String text = "甲节内容。乙节内容。";
        int second = text.indexOf("乙");
        ParsedDocument doc = new ParsedDocument(text, "adjacent", "md",
                List.of(new ParsedDocument.PageSpan(1, 0, text.length())),
                List.of(new ParsedDocument.Section("甲", 0, second),
                        new ParsedDocument.Section("乙", second, text.length())));
        List<Chunk> chunks = new ChineseChunker(new ChunkerConfig(300, 50, 400), TokenCounter.estimator()).chunk(doc);
        assertEquals(List.of("甲节内容。", "乙节内容。"), chunks.stream().map(Chunk::text).toList());
        assertEquals(List.of("甲", "乙"), chunks.stream().map(Chunk::headingPath).toList());
    }

    @Test
    void impossibleSizesAreRefusedWithTheSizesNamed() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> new ChunkerConfig(0, 0, 10));
        assertTrue(zero.getMessage().contains("target=0"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ChunkerConfig(40, 40, 50));
        assertThrows(IllegalArgumentException.class, () -> new ChunkerConfig(40, -1, 50));
        assertThrows(IllegalArgumentException.class, () -> new ChunkerConfig(40, 0, 39));
        // The edges that are allowed: no overlap, and a maximum equal to the target.
        assertEquals(40, new ChunkerConfig(40, 0, 40).maxTokens());
        assertEquals(39, new ChunkerConfig(40, 39, 40).overlapTokens());
        assertEquals(1, new ChunkerConfig(1, 0, 1).targetTokens());
    }

    /** Helper for the first sentence's length. */
    static final class SentenceSplitterLength {
        static int first(String text) {
            SentenceSplitter.Span s = SentenceSplitter.split(text).get(0);
            return s.end() - s.start();
        }
    }
}
