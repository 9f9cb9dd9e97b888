package io.yinghuo.ingest.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Iterator;
import java.util.Map;

/**
 * JSON and JSON Lines flattened to readable lines "key.sub: value" (arrays of scalars joined with ", ", arrays of
 * objects as key[0].field). The elements of a top-level array and the lines of a .jsonl file are records: their keys
 * are written without the record index. Charset as for text files.
 */
public final class JsonParser implements DocumentParser {

    /**
     * Deeper JSON is refused: documents meant to be read nest a few levels, and the flattening below recurses.
     * Jackson's own default (1,000) would be refused by Jackson with a message naming its classes.
     */
    static final int MAX_DEPTH = 100;

    private final ObjectMapper mapper;
    private final int maxCharacters;
    private final boolean lines;

    /** @param jsonLines true for .jsonl/.ndjson: one JSON value per line */
    public JsonParser(ParseLimits limits, boolean jsonLines) {
        this.maxCharacters = limits.maxCharacters();
        this.lines = jsonLines;
        // A string may be as long as the document's text may be (Jackson's default stops at 20 million characters).
        this.mapper = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH)
                        .maxStringLength(Math.max(StreamReadConstraints.DEFAULT_MAX_STRING_LEN, maxCharacters))
                        .build())
                .build());
    }

    @Override
    public String format() {
        return "json";
    }

    @Override
    public ParsedDocument parse(String fileName, byte[] bytes) throws DocumentParseException {
        TextDecoding.DecodedText decoded = TextDecoding.decode(fileName, bytes);
        DocumentTextBuilder out = new DocumentTextBuilder(fileName, maxCharacters);
        decoded.warnings().forEach(out::warn);
        String text = decoded.text();
        if (lines) {
            int lineNumber = 0;
            for (String line : text.split("\n")) {
                lineNumber++;
                if (!line.isBlank()) {
                    flatten(read(fileName, line, lineNumber), "", out);
                }
            }
        } else {
            JsonNode root = read(fileName, text, 0);
            if (root.isArray()) {
                for (JsonNode record : root) {
                    flatten(record, "", out);
                }
            } else {
                flatten(root, "", out);
            }
        }
        return out.build(null, format());
    }

    private JsonNode read(String fileName, String json, int lineNumber) throws DocumentParseException {
        try {
            return mapper.readTree(json);
        } catch (StreamConstraintsException e) {
            // Its message names Jackson's classes ("from `StreamReadConstraints.getMaxNestingDepth()`").
            throw new DocumentParseException(fileName, DocumentParseException.Reason.TOO_COMPLEX,
                    "the JSON is nested more than " + MAX_DEPTH + " levels deep or holds a value too long to read,"
                            + " refusing", e);
        } catch (JsonProcessingException e) {
            String where = lineNumber > 0 ? " on line " + lineNumber : "";
            String reason = LibraryText.plain(e.getOriginalMessage());
            throw new DocumentParseException(fileName, DocumentParseException.Reason.CORRUPT,
                    "is not valid JSON" + where + " (" + reason + ")", e);
        }
    }

    private static void flatten(JsonNode node, String path, DocumentTextBuilder out) {
        ParseBudget.checkCurrent();
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                flatten(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), out);
            }
        } else if (node.isArray()) {
            boolean scalars = true;
            for (JsonNode element : node) {
                scalars &= element.isValueNode();
            }
            if (scalars) {
                StringBuilder joined = new StringBuilder();
                for (JsonNode element : node) {
                    if (!element.isNull()) {
                        if (joined.length() > 0) {
                            joined.append(", ");
                        }
                        joined.append(element.asText());
                    }
                }
                line(path, joined.toString(), out);
            } else {
                int i = 0;
                for (JsonNode element : node) {
                    flatten(element, path + "[" + i++ + "]", out);
                }
            }
        } else if (!node.isNull()) {
            line(path, node.asText(), out);
        }
    }

    private static void line(String path, String value, DocumentTextBuilder out) {
        if (value.isBlank()) {
            return;
        }
        out.paragraph(path.isEmpty() ? value : path + ": " + value);
    }
}
