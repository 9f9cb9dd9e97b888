package io.yinghuo.model.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yinghuo.model.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real Chinese-LLaMA-2 tokenizer against the 2,300 spm_encode reference lines
 * (shared/data/tokenizer-reference). Skipped without ../shared.
 */
class ChineseLlama2ReferenceTest {
    record Line(String id, String kind, String text, int[] ids) {
    }

    private static SentencePieceTokenizer tokenizer;
    private static List<Line> lines;

    @BeforeAll
    static void load() throws IOException {
        if (!SharedData.isPresent()) {
            return;
        }
        tokenizer = SentencePieceTokenizer.load(SharedData.chineseLlama2Tokenizer());
        ObjectMapper json = new ObjectMapper();
        lines = new ArrayList<>();
        for (String raw : Files.readAllLines(SharedData.tokenizerReference(), StandardCharsets.UTF_8)) {
            JsonNode node = json.readTree(raw);
            int[] ids = new int[node.get("ids").size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = node.get("ids").get(i).asInt();
            }
            lines.add(new Line(node.get("id").asText(), node.get("kind").asText(), node.get("text").asText(), ids));
        }
    }

    @BeforeEach
    void requireSharedData() {
        SharedData.require();
    }

    @Test
    void referenceFileHasAllLines() {
        assertEquals(2300, lines.size());
    }

    @Test
    void encodesEveryReferenceLineExactly() {
        List<String> mismatches = new ArrayList<>();
        for (Line line : lines) {
            int[] actual = tokenizer.encode(line.text());
            if (!Arrays.equals(line.ids(), actual)) {
                mismatches.add(line.id() + ": expected " + Arrays.toString(line.ids()) + " got "
                        + Arrays.toString(actual));
            }
        }
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " of " + lines.size() + " lines differ, first: "
                    + String.join("\n", mismatches.subList(0, Math.min(5, mismatches.size()))));
        }
    }

    @Test
    void decodesEveryReferenceLineBackToItsText() {
        for (Line line : lines) {
            assertEquals(line.text(), tokenizer.decode(line.ids()), line.id());
        }
    }

    @Test
    void streamingDecodeOfEveryLineEqualsDecode() {
        for (Line line : lines) {
            StreamingDecoder decoder = tokenizer.streamingDecoder(true);
            StringBuilder text = new StringBuilder();
            for (int id : line.ids()) {
                text.append(decoder.accept(id));
            }
            text.append(decoder.flush());
            assertEquals(line.text(), text.toString(), line.id());
        }
    }

    /** Reports encode speed on the 300 passages (printed, not asserted: no timing assertions in tests). */
    @Test
    void measuresEncodeThroughputOnPassages() {
        List<String> passages = lines.stream().filter(l -> l.kind().equals("passage")).map(Line::text).toList();
        assertEquals(300, passages.size());
        long chars = passages.stream().mapToLong(String::length).sum();
        long tokens = 0;
        for (int warmup = 0; warmup < 5; warmup++) {
            for (String passage : passages) {
                tokens += tokenizer.encode(passage).length;
            }
        }
        int rounds = 10;
        tokens = 0;
        long start = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            for (String passage : passages) {
                tokens += tokenizer.encode(passage).length;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(110_339L * rounds, tokens);
        System.out.printf("encode throughput on 300 passages (%d chars, %d tokens): %.0f chars/s, %.0f tokens/s%n",
                chars, tokens / rounds, chars * rounds / seconds, tokens / seconds);
    }
}
