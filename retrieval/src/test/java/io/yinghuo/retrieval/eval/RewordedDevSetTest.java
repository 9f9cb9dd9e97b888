package io.yinghuo.retrieval.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yinghuo.model.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks the reworded-question dev set in {@code src/test/resources/eval/reworded/} (see the README there) against
 * the shared CMRC 2018 / DRCD dev documents in {@code ../shared/data/cmrc2018-dev/}: gold documents exist, answers
 * are verbatim (at answer_starts for single questions), and no question shares a run of more than 3 consecutive
 * characters with its gold document outside the answers and the question's "allowed_overlaps".
 */
class RewordedDevSetTest {

    private static final String RESOURCES = "/eval/reworded/";
    private static final String DATA = "data/cmrc2018-dev";
    private static final int MAX_SHARED_RUN = 3;
    /** Minimum counts committed (the targets of issue 14 point 8 were reached: 150 single, 50 compound). */
    private static final int MIN_SINGLE = 150;
    private static final int MIN_COMPOUND = 50;
    private static final int MIN_SINGLE_PER_SOURCE = 75;
    private static final int MIN_COMPOUND_PER_SOURCE = 25;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> singles;
    private static List<JsonNode> compounds;

    @BeforeAll
    static void readQuestionFiles() throws IOException {
        singles = readResource("reworded_single.jsonl");
        compounds = readResource("reworded_compound.jsonl");
    }

    @Test
    void countsAreAtLeastWhatWasCommitted() {
        assertTrue(singles.size() >= MIN_SINGLE, "single questions: " + singles.size());
        assertTrue(compounds.size() >= MIN_COMPOUND, "compound questions: " + compounds.size());
        assertTrue(countWithPrefix(singles, "cmrc2018-", false) >= MIN_SINGLE_PER_SOURCE, "CMRC single questions");
        assertTrue(countWithPrefix(singles, "drcd-", false) >= MIN_SINGLE_PER_SOURCE, "DRCD single questions");
        assertTrue(countWithPrefix(compounds, "cmrc2018-", true) >= MIN_COMPOUND_PER_SOURCE, "CMRC compound questions");
        assertTrue(countWithPrefix(compounds, "drcd-", true) >= MIN_COMPOUND_PER_SOURCE, "DRCD compound questions");
    }

    @Test
    void idsAreUniqueAcrossBothFiles() {
        Set<String> seen = new HashSet<>();
        for (JsonNode q : concat(singles, compounds)) {
            String id = q.path("id").asText("");
            assertTrue(!id.isBlank(), "question without id: " + q);
            assertTrue(seen.add(id), "duplicate id " + id);
        }
    }

    @Test
    void compoundQuestionsHaveTwoPartsFromTwoDifferentDocuments() {
        for (JsonNode q : compounds) {
            String id = q.get("id").asText();
            JsonNode parts = q.get("parts");
            assertNotNull(parts, id + ": no parts");
            assertEquals(2, parts.size(), id + ": parts");
            assertEquals(2, q.get("doc_ids").size(), id + ": doc_ids");
            assertEquals(2, q.get("answers").size(), id + ": answer groups");
            assertTrue(!q.get("doc_ids").get(0).asText().equals(q.get("doc_ids").get(1).asText()),
                    id + ": both parts from one document");
            for (int i = 0; i < 2; i++) {
                assertEquals(q.get("doc_ids").get(i).asText(), parts.get(i).get("doc_id").asText(), id + ": doc_ids order");
                assertEquals(q.get("answers").get(i), parts.get(i).get("answers"), id + ": answers order");
            }
        }
    }

    @Test
    void singleAnswersAreVerbatimAtTheirOffsets() throws IOException {
        Map<String, String> docs = documentsOrSkip();
        for (JsonNode q : singles) {
            String id = q.get("id").asText();
            String text = docs.get(q.get("doc_id").asText());
            assertNotNull(text, id + ": unknown doc_id " + q.get("doc_id"));
            JsonNode answers = q.get("answers");
            JsonNode starts = q.get("answer_starts");
            assertTrue(answers.size() > 0, id + ": no answers");
            assertEquals(answers.size(), starts.size(), id + ": answers vs answer_starts");
            for (int i = 0; i < answers.size(); i++) {
                String answer = answers.get(i).asText();
                int start = starts.get(i).asInt();
                assertTrue(!answer.isEmpty() && start >= 0 && text.startsWith(answer, start),
                        id + ": answer \"" + answer + "\" not at offset " + start);
            }
        }
    }

    @Test
    void compoundPartAnswersOccurInTheirDocuments() throws IOException {
        Map<String, String> docs = documentsOrSkip();
        for (JsonNode q : compounds) {
            for (JsonNode part : q.get("parts")) {
                String where = q.get("id").asText() + " / " + part.get("id").asText();
                String text = docs.get(part.get("doc_id").asText());
                assertNotNull(text, where + ": unknown doc_id " + part.get("doc_id"));
                assertTrue(part.get("answers").size() > 0, where + ": no answers");
                for (JsonNode answer : part.get("answers")) {
                    assertTrue(!answer.asText().isEmpty() && text.contains(answer.asText()),
                            where + ": answer \"" + answer.asText() + "\" not in the document");
                }
            }
        }
    }

    @Test
    void questionsShareNoRunLongerThanThreeCharactersWithTheGoldDocument() throws IOException {
        Map<String, String> docs = documentsOrSkip();
        List<String> problems = new ArrayList<>();
        for (JsonNode q : singles) {
            check(q.get("id").asText(), q.get("question").asText(), docs.get(q.get("doc_id").asText()),
                    excluded(List.of(q)), problems);
        }
        for (JsonNode q : compounds) {
            List<JsonNode> parts = new ArrayList<>();
            q.get("parts").forEach(parts::add);
            List<String> allowed = excluded(parts);
            allowed.addAll(strings(q.get("allowed_overlaps")));
            for (JsonNode part : parts) {
                String doc = docs.get(part.get("doc_id").asText());
                check(q.get("id").asText(), q.get("question").asText(), doc, allowed, problems);
                check(q.get("id").asText() + " / " + part.get("id").asText(), part.get("question").asText(), doc,
                        excluded(List.of(part)), problems);
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " questions copy the passage:\n" + String.join("\n", problems));
    }

    @Test
    void overlapCheckFindsCopiedRunsAndSkipsAnswersAndAllowedNames() {
        String doc = "沼鹿（学名），又名泽鹿，是原住于印度及尼泊尔的鹿。";
        assertEquals(List.of("原住于印度"), sharedRuns("哪种鹿原住于印度", doc, List.of()));
        assertEquals(List.of(), sharedRuns("沼鹿的别名", doc, List.of()));
        assertEquals(List.of(), sharedRuns("又名泽鹿的是什么", doc, List.of("又名泽鹿")));
        assertEquals(List.of(), sharedRuns("尼泊尔的鹿？另外，沼鹿", doc, List.of("尼泊尔的鹿")));
        assertEquals(List.of(), sharedRuns("（学名），", doc, List.of()), "punctuation breaks runs");
        assertEquals(List.of("abcd"), sharedRuns("ABCD是", "x abcd y", List.of()), "compared case-folded");
    }

    private static void check(String id, String question, String doc, List<String> allowed, List<String> problems) {
        if (doc == null) {
            problems.add(id + ": unknown gold document");
            return;
        }
        List<String> runs = sharedRuns(question, doc, allowed);
        if (!runs.isEmpty()) {
            problems.add(id + " \"" + question + "\" shares " + runs);
        }
    }

    /**
     * Runs of more than {@value #MAX_SHARED_RUN} consecutive characters of the question that occur in the document
     * and are not inside one of the {@code allowed} strings (the answers and allowed_overlaps), compared after NFKC
     * and lower-casing both texts; a character that is not a letter or digit (punctuation, space) ends a run. Put
     * another way: every substring of the question longer than the limit that the document contains must be a
     * substring of an allowed string. The document is compared as is, in its own script (DRCD questions are
     * written in traditional characters). For each start, the longest offending run is reported once.
     */
    static List<String> sharedRuns(String question, String document, List<String> allowed) {
        String q = normalize(question);
        String doc = normalize(document);
        List<String> allow = allowed.stream().map(RewordedDevSetTest::normalize).toList();
        List<String> runs = new ArrayList<>();
        int reportedTo = 0;
        for (int i = 0; i < q.length(); i++) {
            int end = i;
            while (end < q.length() && Character.isLetterOrDigit(q.charAt(end)) && doc.contains(q.substring(i, end + 1))) {
                end++;
            }
            if (end - i > MAX_SHARED_RUN && end > reportedTo) {
                String run = q.substring(i, end);
                if (allow.stream().noneMatch(a -> a.contains(run))) {
                    runs.add(run);
                    reportedTo = end;
                }
            }
        }
        return runs;
    }

    private static String normalize(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }

    private static List<String> excluded(List<JsonNode> questions) {
        List<String> out = new ArrayList<>();
        for (JsonNode q : questions) {
            for (JsonNode a : q.get("answers")) {
                if (a.isArray()) {
                    out.addAll(strings(a));
                } else {
                    out.add(a.asText());
                }
            }
            out.addAll(strings(q.get("allowed_overlaps")));
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(node -> out.add(node.asText()));
        }
        return out;
    }

    private static long countWithPrefix(List<JsonNode> questions, String prefix, boolean compound) {
        return questions.stream().filter(q -> {
            if (!compound) {
                return q.get("doc_id").asText().startsWith(prefix);
            }
            return q.get("doc_ids").get(0).asText().startsWith(prefix) && q.get("doc_ids").get(1).asText().startsWith(prefix);
        }).count();
    }

    private static List<JsonNode> concat(List<JsonNode> a, List<JsonNode> b) {
        List<JsonNode> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static List<JsonNode> readResource(String name) throws IOException {
        try (InputStream in = RewordedDevSetTest.class.getResourceAsStream(RESOURCES + name)) {
            assertNotNull(in, "test resource missing: " + RESOURCES + name);
            List<JsonNode> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
            return out;
        }
    }

    /** doc_id → text of both shared document files, or a skipped test when ../shared is absent. */
    private static Map<String, String> documentsOrSkip() throws IOException {
        Path dir = SharedData.require(DATA);
        Map<String, String> docs = new HashMap<>();
        for (String file : List.of("cmrc2018_documents.jsonl", "drcd_documents.jsonl")) {
            for (EvalDocument d : EvalFiles.readDocuments(dir.resolve(file))) {
                docs.put(d.docId(), d.text());
            }
        }
        return docs;
    }
}
