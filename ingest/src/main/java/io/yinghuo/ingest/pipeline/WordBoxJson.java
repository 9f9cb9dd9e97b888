package io.yinghuo.ingest.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yinghuo.ingest.parse.ParsedDocument.OcrPage;
import io.yinghuo.ingest.parse.ParsedDocument.WordBox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The file format of {@link WordBoxStore}:
 * <pre>
 *   {"version": 1, "pages": [{"page": 1, "width": 595.3, "height": 841.9, "unit": "pt",
 *                             "words": [[start, end, x, y, width, height], ...]}, ...]}
 * </pre>
 * A word is an array rather than an object because a 300-page scan holds about 150,000 of them: field names would
 * make up most of the file. A reader refuses another {@code version} instead of misreading it.
 */
final class WordBoxJson {

    static final int VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET) // the store forces the file after writing
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build());

    private WordBoxJson() {
    }

    static void write(List<OcrPage> pages, OutputStream out) throws IOException {
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("version", VERSION);
            json.writeArrayFieldStart("pages");
            for (OcrPage page : pages) {
                json.writeStartObject();
                json.writeNumberField("page", page.page());
                json.writeNumberField("width", page.width());
                json.writeNumberField("height", page.height());
                json.writeStringField("unit", page.unit());
                json.writeArrayFieldStart("words");
                for (WordBox word : page.words()) {
                    json.writeStartArray();
                    json.writeNumber(word.start());
                    json.writeNumber(word.end());
                    json.writeNumber(word.x());
                    json.writeNumber(word.y());
                    json.writeNumber(word.width());
                    json.writeNumber(word.height());
                    json.writeEndArray();
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    static List<OcrPage> read(InputStream in) throws IOException {
        JsonNode root = MAPPER.readTree(in);
        if (root == null || root.path("version").asInt() != VERSION) {
            throw new IOException("not a word box file of version " + VERSION);
        }
        List<OcrPage> pages = new ArrayList<>();
        for (JsonNode page : root.path("pages")) {
            List<WordBox> words = new ArrayList<>(page.path("words").size());
            for (JsonNode w : page.path("words")) {
                words.add(new WordBox(w.get(0).asInt(), w.get(1).asInt(), (float) w.get(2).asDouble(),
                        (float) w.get(3).asDouble(), (float) w.get(4).asDouble(), (float) w.get(5).asDouble()));
            }
            pages.add(new OcrPage(page.path("page").asInt(), (float) page.path("width").asDouble(),
                    (float) page.path("height").asDouble(), page.path("unit").asText(), words));
        }
        return pages;
    }
}
