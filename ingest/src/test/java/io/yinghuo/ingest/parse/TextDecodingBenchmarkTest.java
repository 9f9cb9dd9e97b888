package io.yinghuo.ingest.parse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.ibm.icu.text.CharsetDetector;
import io.yinghuo.ingest.SharedFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How long charset detection takes on GBK files, and how much of it ICU's {@code CharsetDetector.detectAll} on the
 * 64 KiB sample would cost: the CMRC 2018 and DRCD articles of the shared dev sets, each encoded as GB18030 (369 files
 * of 1-6 KB), and all of them as one file (about 700 KB, so the sample is full). Prints timings; asserts only that
 * every file reads back. Left out of mutation runs (root pom, {@code *BenchmarkTest}).
 *
 * <p>To compare two builds side by side, run {@link #main} with each build's classes on the class path, alternately:
 * {@code java -cp TEST_CLASSES:CLASSES:ICU4J:JACKSON io.yinghuo.ingest.parse.TextDecodingBenchmarkTest
 * ../shared/data/cmrc2018-dev/cmrc2018_documents.jsonl ../shared/data/cmrc2018-dev/drcd_documents.jsonl}
 * (BENCHMARKS.md, "Ingestion").
 */
class TextDecodingBenchmarkTest {

    private static final Charset GB18030 = Charset.forName("GB18030");

    @Test
    void gbkFilesAreDecodedAndTimed() throws Exception {
        run(List.of(SharedFiles.dataFileOrSkip("cmrc2018_documents.jsonl"),
                SharedFiles.dataFileOrSkip("drcd_documents.jsonl")), 3);
    }

    public static void main(String[] args) throws Exception {
        run(Arrays.stream(args).map(Path::of).toList(), 10);
    }

    private static void run(List<Path> jsonl, int rounds) throws Exception {
        List<String> texts = articles(jsonl);
        List<byte[]> files = new ArrayList<>();
        for (String text : texts) {
            files.add(text.getBytes(GB18030));
        }
        String whole = String.join("\n", texts);
        byte[] large = whole.getBytes(GB18030);
        long small = files.stream().mapToLong(f -> f.length).sum();
        for (int i = 0; i < files.size(); i++) {
            assertEquals(texts.get(i), TextDecoding.decode("a.txt", files.get(i)).text(), "article " + i);
        }
        assertEquals(whole, TextDecoding.decode("all.txt", large).text());
        for (int round = 1; round <= rounds; round++) {
            long start = System.nanoTime();
            for (byte[] file : files) {
                TextDecoding.decode("a.txt", file);
            }
            long filesNanos = System.nanoTime() - start;
            start = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                TextDecoding.decode("all.txt", large);
            }
            long largeNanos = (System.nanoTime() - start) / 10;
            start = System.nanoTime();
            for (byte[] file : files) {
                detectAll(file);
            }
            long icuFilesNanos = System.nanoTime() - start;
            byte[] sample = Arrays.copyOf(large, 64 * 1024);
            start = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                detectAll(sample);
            }
            long icuSampleNanos = (System.nanoTime() - start) / 10;
            System.out.printf("round %d: %d GBK files (%d KB): decode %.1f ms (%.2f MB/s), ICU detectAll alone %.1f ms;"
                            + " one %d KB file: decode %.2f ms, ICU detectAll of its 64 KiB sample %.2f ms%n",
                    round, files.size(), small / 1000, filesNanos / 1e6, small * 1e3 / filesNanos,
                    icuFilesNanos / 1e6, large.length / 1000, largeNanos / 1e6, icuSampleNanos / 1e6);
        }
    }

    private static void detectAll(byte[] bytes) {
        CharsetDetector detector = new CharsetDetector();
        detector.setText(bytes);
        detector.detectAll();
    }

    private static List<String> articles(List<Path> jsonl) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> texts = new ArrayList<>();
        for (Path file : jsonl) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                texts.add(TextDecoding.normalizeNewlines(json.readTree(line).get("text").asText()));
            }
        }
        return texts;
    }
}
