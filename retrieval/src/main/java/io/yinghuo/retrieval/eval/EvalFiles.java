package io.yinghuo.retrieval.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the JSONL files of an evaluation set (the format of the CMRC 2018 / DRCD dev files): documents
 * {@code {"doc_id","title","text"}}; questions {@code {"id","question","answers":[...],"doc_id"}} or multi-document
 * {@code {"id","question","answers":[[...],[...]],"doc_ids":[...]}}. Blank lines are skipped; a bad line is
 * reported with its file and line number.
 */
public final class EvalFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EvalFiles() {
    }

    public static List<EvalDocument> readDocuments(Path file) throws IOException {
        List<EvalDocument> documents = new ArrayList<>();
        readLines(file, (node, where) -> documents.add(new EvalDocument(text(node, "doc_id", where),
                node.hasNonNull("title") ? node.get("title").asText() : "", text(node, "text", where))));
        return documents;
    }

    public static List<EvalQuestion> readQuestions(Path file) throws IOException {
        List<EvalQuestion> questions = new ArrayList<>();
        readLines(file, (node, where) -> {
            String id = node.hasNonNull("id") ? node.get("id").asText() : where;
            String question = text(node, "question", where);
            JsonNode answers = node.get("answers");
            if (answers == null || !answers.isArray()) {
                throw new IllegalArgumentException(where + ": \"answers\" must be an array");
            }
            if (node.has("doc_ids")) {
                List<String> docs = strings(node.get("doc_ids"), where + ": \"doc_ids\"");
                List<List<String>> groups = new ArrayList<>();
                for (JsonNode group : answers) {
                    groups.add(strings(group, where + ": each element of \"answers\""));
                }
                if (groups.size() != docs.size()) {
                    throw new IllegalArgumentException(where + ": " + docs.size() + " doc_ids but " + groups.size()
                            + " answer groups");
                }
                questions.add(new EvalQuestion(id, question, docs, groups));
            } else {
                questions.add(new EvalQuestion(id, question, List.of(text(node, "doc_id", where)),
                        List.of(strings(answers, where + ": \"answers\""))));
            }
        });
        return questions;
    }

    private interface LineHandler {
        void accept(JsonNode node, String where);
    }

    private static void readLines(Path file, LineHandler handler) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String where = file.getFileName() + " line " + number;
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalArgumentException(where + ": not valid JSON (" + e.getOriginalMessage() + ")");
                }
                if (node == null || !node.isObject()) {
                    throw new IllegalArgumentException(where + ": expected a JSON object");
                }
                handler.accept(node, where);
            }
        }
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(where + ": missing string field \"" + field + "\"");
        }
        return value.asText();
    }

    private static List<String> strings(JsonNode array, String what) {
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException(what + " must be an array of strings");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode element : array) {
            values.add(element.asText());
        }
        return values;
    }
}
