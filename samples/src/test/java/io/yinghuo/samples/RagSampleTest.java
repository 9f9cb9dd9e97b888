package io.yinghuo.samples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

class RagSampleTest {

    @Test
    void ingestsTheDocumentsAndAnswersWithNumberedSourcesForEveryPart() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            RagSample.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        for (String name : RagSample.SAMPLE_DOCUMENTS.keySet()) {
            assertTrue(out.contains("ingested " + name + ": "), out);
        }
        String first = out.substring(out.indexOf("问: 长江有多长？"), out.indexOf("问: 龙井茶"));
        assertTrue(first.contains("[1] 长江.txt, page 1: 长江是中国第一长河"), first);
        String second = out.substring(out.indexOf("问: 龙井茶"));
        assertTrue(second.contains("茶叶.md") && second.contains("故宫.txt"),
                "the compound question has evidence for both parts: " + second);
    }
}
