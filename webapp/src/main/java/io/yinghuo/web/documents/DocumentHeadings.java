package io.yinghuo.web.documents;

import io.yinghuo.ingest.parse.DocumentParsers;
import io.yinghuo.ingest.parse.FileNames;
import io.yinghuo.ingest.parse.ParsedDocument;
import io.yinghuo.ingest.pipeline.OriginalStore;
import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.index.ChunkRecord;
import io.yinghuo.retrieval.index.DocumentRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The heading lines of a structured document (docx, pptx, xlsx, html, Markdown), so that the viewer can show its
 * parsed text with headings rather than as one run of lines.
 *
 * <p>The index keeps chunks, not sections, so the headings come from parsing the original again. That is only
 * trusted when the new text is the indexed one (same length, every chunk at its offsets): a parser that changed
 * since ingestion gives no headings rather than wrong ones. Results are cached per document and content hash.
 */
final class DocumentHeadings {

    /** A heading line [start, end) of the parsed text; level 1 is the outermost. */
    record Heading(int start, int end, int level) {
    }

    private static final Set<String> STRUCTURED = Set.of("docx", "pptx", "xlsx", "html", "htm", "xhtml", "md",
            "markdown");
    /** Larger originals are not parsed again for their headings (the viewer still shows their text). */
    private static final long MAX_BYTES = 32L << 20;
    private static final int CACHED = 16;
    private static final String SEPARATOR = " > ";

    private final ChunkStore index;
    private final OriginalStore originals;
    private final DocumentParsers parsers;
    private final Map<String, List<Heading>> cache = new LinkedHashMap<>(CACHED, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<Heading>> eldest) {
            return size() > CACHED;
        }
    };

    DocumentHeadings(ChunkStore index, OriginalStore originals, DocumentParsers parsers) {
        this.index = index;
        this.originals = originals;
        this.parsers = parsers;
    }

    /** The headings that overlap [from, to); empty for formats without headings or when they cannot be trusted. */
    List<Heading> within(DocumentRecord record, int from, int to) throws IOException {
        List<Heading> inRange = new ArrayList<>();
        for (Heading heading : all(record)) {
            if (heading.end() > from && heading.start() < to) {
                inRange.add(heading);
            }
        }
        return inRange;
    }

    private List<Heading> all(DocumentRecord record) throws IOException {
        if (!STRUCTURED.contains(FileNames.extension(record.fileName())) || record.originalPath().isEmpty()) {
            return List.of();
        }
        String key = record.docId() + "/" + record.sha256();
        synchronized (cache) {
            List<Heading> cached = cache.get(key);
            if (cached != null) {
                return cached;
            }
        }
        List<Heading> headings = parse(record);
        synchronized (cache) {
            cache.put(key, headings);
        }
        return headings;
    }

    private List<Heading> parse(DocumentRecord record) throws IOException {
        Path file = originals.resolve(record.originalPath());
        if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
            return List.of();
        }
        ParsedDocument parsed;
        try {
            parsed = parsers.parse(record.fileName(), Files.readAllBytes(file));
        } catch (Exception e) { // a parser that fails today: the viewer shows the text without headings
            return List.of();
        }
        if (!matchesIndex(record, parsed.text())) {
            return List.of();
        }
        List<Heading> headings = new ArrayList<>();
        String text = parsed.text();
        for (ParsedDocument.Section section : parsed.sections()) {
            // The builder writes the heading's own line where its section starts; its path ends with that line.
            int end = text.indexOf('\n', section.start());
            end = end < 0 || end > section.end() ? section.end() : end;
            String line = text.substring(section.start(), end);
            String path = section.headingPath();
            if (line.isEmpty() || !(path.equals(line) || path.endsWith(SEPARATOR + line))) {
                continue;
            }
            headings.add(new Heading(section.start(), end, depth(path.substring(0, path.length() - line.length()))));
        }
        return List.copyOf(headings);
    }

    /** 1 + the number of headings above: the separators in the path before the heading's own text. */
    private static int depth(String parents) {
        int level = 1;
        for (int at = parents.indexOf(SEPARATOR); at >= 0; at = parents.indexOf(SEPARATOR, at + 1)) {
            level++;
        }
        return level;
    }

    private boolean matchesIndex(DocumentRecord record, String text) throws IOException {
        if (text.length() != record.charCount()) {
            return false;
        }
        for (ChunkRecord chunk : index.chunks(record.docId())) {
            if (chunk.end() > text.length() || !text.startsWith(chunk.text(), chunk.start())) {
                return false;
            }
        }
        return true;
    }
}
