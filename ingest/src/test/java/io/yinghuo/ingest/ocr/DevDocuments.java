package io.yinghuo.ingest.ocr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yinghuo.ingest.SharedFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Article texts of the shared dev sets: CMRC 2018 (simplified Chinese) and DRCD (traditional Chinese). */
final class DevDocuments {

    record Document(String id, String title, String text) {
    }

    private DevDocuments() {
    }

    /** The first {@code count} articles of {@code file} (e.g. "cmrc2018_documents.jsonl"), or a skipped test. */
    static List<Document> first(String file, int count) throws IOException {
        Path path = SharedFiles.dataFileOrSkip(file);
        ObjectMapper json = new ObjectMapper();
        List<Document> documents = new ArrayList<>();
        try (var lines = Files.lines(path, StandardCharsets.UTF_8)) {
            for (String line : (Iterable<String>) lines.limit(count)::iterator) {
                JsonNode node = json.readTree(line);
                documents.add(new Document(node.get("doc_id").asText(), node.get("title").asText(),
                        node.get("text").asText()));
            }
        }
        return documents;
    }
}
