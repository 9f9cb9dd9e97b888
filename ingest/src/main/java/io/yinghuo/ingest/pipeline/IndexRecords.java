package io.yinghuo.ingest.pipeline;

import io.yinghuo.ingest.chunk.Chunk;
import io.yinghuo.ingest.parse.ParsedDocument;
import io.yinghuo.retrieval.index.ChunkRecord;
import io.yinghuo.retrieval.index.DocumentRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the records the index stores for one file from what the parse and chunk steps returned. It exists because
 * those steps are pluggable ({@link ParseStep}, {@link ChunkStep}) and their output is checked here, once, before
 * anything is written: a chunk whose offsets do not point at its own text would make every citation of it show
 * the wrong passage, so such a file fails with a reason instead of being indexed.
 */
final class IndexRecords {

    private IndexRecords() {
    }

    /** The chunks as index records, in order; throws when a chunk does not match the text at its offsets. */
    static List<ChunkRecord> chunks(ParsedDocument parsed, List<Chunk> chunks) {
        if (chunks == null || chunks.isEmpty()) {
            throw new IllegalStateException("the chunker produced no chunks for a non-empty text");
        }
        String text = parsed.text();
        List<ChunkRecord> records = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            if (c.start() < 0 || c.end() > text.length() || c.start() > c.end()
                    || !text.regionMatches(c.start(), c.text(), 0, c.text().length())
                    || c.text().length() != c.end() - c.start()) {
                throw new IllegalStateException("chunk " + i + " does not match the text at ["
                        + c.start() + ", " + c.end() + ")");
            }
            records.add(new ChunkRecord(i, c.start(), c.end(), c.text(), Math.max(1, c.page()),
                    c.headingPath() == null ? "" : c.headingPath()));
        }
        return records;
    }

    /** The catalogue entry of the job's file, ingested now, with its original stored at {@code originalPath}. */
    static DocumentRecord document(IngestJob job, ParsedDocument parsed, int chunkCount, String originalPath) {
        IngestSource source = job.source();
        return new DocumentRecord(job.docId(), source.collection(), source.fileName(),
                title(parsed, source.fileName()), parsed.format() == null ? "" : parsed.format(), job.sha256,
                source.bytes().length, parsed.text().length(), chunkCount, pageCount(parsed), originalPath,
                System.currentTimeMillis());
    }

    /** The parsed title, else the file's base name without its extension. */
    static String title(ParsedDocument parsed, String fileName) {
        if (parsed.title() != null && !parsed.title().isBlank()) {
            return parsed.title().strip();
        }
        String base = fileName.substring(fileName.replace('\\', '/').lastIndexOf('/') + 1);
        int dot = base.lastIndexOf('.');
        return dot > 0 ? base.substring(0, dot) : base;
    }

    /** The highest page any page span names; at least 1 (a text without pages is one page). */
    static int pageCount(ParsedDocument parsed) {
        int pages = 1;
        if (parsed.pages() != null) {
            for (ParsedDocument.PageSpan page : parsed.pages()) {
                pages = Math.max(pages, page.page());
            }
        }
        return pages;
    }
}
