package io.yinghuo.ingest.pipeline;

import io.yinghuo.ingest.chunk.Chunk;
import io.yinghuo.ingest.parse.ParsedDocument;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Small parse and chunk steps for pipeline tests, independent of the real parsers: UTF-8 text, a first line
 * "# title" becomes the title; chunks are runs of whole sentences up to {@code maxChars}. A file whose name
 * contains "broken" fails to parse.
 */
final class TestSteps {

    private TestSteps() {
    }

    static ParsedDocument parse(String fileName, byte[] bytes) {
        if (fileName.contains("broken")) {
            throw new IllegalArgumentException(fileName + ": the file is damaged");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        String title = fileName;
        if (text.startsWith("# ")) {
            int end = text.indexOf('\n');
            title = (end < 0 ? text.substring(2) : text.substring(2, end)).strip();
        }
        return new ParsedDocument(text, title, "text", List.of(new ParsedDocument.PageSpan(1, 0, text.length())),
                List.of());
    }

    static List<Chunk> chunk(ParsedDocument document, int maxChars) {
        String text = document.text();
        List<Chunk> chunks = new ArrayList<>();
        int start = 0;
        int lastBoundary = -1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '。' || c == '！' || c == '？' || c == '\n') {
                lastBoundary = i + 1;
            }
            if (i + 1 - start >= maxChars) {
                int end = lastBoundary > start ? lastBoundary : i + 1;
                add(chunks, text, start, end);
                start = end;
                lastBoundary = -1;
            }
        }
        if (start < text.length()) {
            add(chunks, text, start, text.length());
        }
        return chunks;
    }

    private static void add(List<Chunk> chunks, String text, int start, int end) {
        if (text.substring(start, end).isBlank()) {
            return;
        }
        chunks.add(new Chunk(chunks.size(), start, end, text.substring(start, end), 1, "", end - start));
    }

    static IngestOptions options(int maxChars) {
        return IngestOptions.of(TestSteps::parse, d -> chunk(d, maxChars));
    }
}
