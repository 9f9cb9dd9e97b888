package io.yinghuo.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The figures {@code yinghuo bench-ingest} prints agree with each other and with its input: sizes are the files'
 * bytes, every rate is its amount over its time, and a pass counts what the pipeline did with each file once it
 * has finished all of them.
 */
class BenchIngestFiguresTest {

    private static final double MIB = 1024.0 * 1024.0;
    private static final Pattern HEADER = Pattern.compile("bench-ingest: (\\d+) files, ([\\d.]+) MiB, profile ");
    private static final Pattern PASS = Pattern.compile("pass (\\d+): (\\d+) files \\((\\d+) failed, (\\d+) duplicate\\),"
            + " (\\d+) chunks, (\\d+) characters, ([\\d.]+) MiB in ([\\d.]+) s: ([\\d.]+) MiB/s, (\\d+) characters/s;"
            + " CPU ([\\d.]+) s \\(([\\d.]+|Infinity) MiB per CPU-second\\)");

    @TempDir
    Path dir;

    @Test
    void aPassCountsEachFilesOutcomeAndItsRatesAreItsAmountsOverItsTimes() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("files"));
        // about 100 KB: large enough that its rates show in two decimals
        String lake = ("西湖位于杭州，以断桥残雪闻名。湖中有三岛。苏堤春晓是西湖十景之一。".repeat(10) + "\n").repeat(100);
        Files.writeString(folder.resolve("西湖.txt"), lake, StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("西湖副本.txt"), lake, StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("坏.pdf"), "not a pdf", StandardCharsets.UTF_8);
        // a folder named like a document is walked into, not read
        Files.writeString(Files.createDirectories(folder.resolve("旧.md")).resolve("故宫.md"),
                "# 故宫\n\n故宫位于北京，建于明朝永乐年间，是世界文化遗产。", StandardCharsets.UTF_8);
        long bytes;
        try (var files = Files.walk(folder)) {
            bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }

        CliRun.Result run = CliRun.run("bench-ingest", "--passes", "1", "--workers", "1", folder.toString());

        assertEquals(0, run.code(), run.err());
        Matcher header = HEADER.matcher(run.out());
        assertTrue(header.find(), run.out());
        assertEquals(4, Integer.parseInt(header.group(1)), run.out());
        assertEquals(bytes / MIB, Double.parseDouble(header.group(2)), 0.005);
        Matcher pass = PASS.matcher(run.out());
        assertTrue(pass.find(), run.out());
        assertEquals("4 1 1", pass.group(2) + " " + pass.group(3) + " " + pass.group(4), "files, failed, duplicate");
        assertTrue(Integer.parseInt(pass.group(5)) > 2, "chunks of the two added documents: " + run.out());
        long characters = Long.parseLong(pass.group(6));
        assertTrue(characters > lake.length() * 0.99 && characters < lake.length() * 1.01 + 100,
                "the characters of the two documents added, not of the duplicate: " + characters);
        double seconds = Double.parseDouble(pass.group(8));
        double cpu = Double.parseDouble(pass.group(11));
        assertTrue(seconds > 0 && cpu > 0, run.out());
        assertClose(bytes / MIB / seconds, Double.parseDouble(pass.group(9)), seconds, 0.005, 0.005, "MiB/s");
        assertClose(characters / seconds, Double.parseDouble(pass.group(10)), seconds, 0.005, 0.5, "characters/s");
        assertClose(bytes / MIB / cpu, Double.parseDouble(pass.group(12)), cpu, 0.05, 0.005, "MiB per CPU-second");
    }

    @Test
    void passesAndCopiesStartAtOne() {
        for (String[] option : new String[][] {{"--passes", "0"}, {"--copies", "0"}}) {
            CliRun.Result run = CliRun.run("bench-ingest", option[0], option[1], dir.toString());
            assertEquals(1, run.code());
            assertTrue(run.err().contains("--passes and --copies must be at least 1"), run.err());
        }
    }

    @Test
    void copiesAfterTheFirstShuffleTheSentencesFiveToAParagraph() {
        StringBuilder text = new StringBuilder();
        List<String> sentences = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            sentences.add("第" + i + "句。");
            text.append("第").append(i).append("句。");
        }
        String shuffled = BenchIngestCommand.shuffleSentences(text.toString(), new Random(7));
        List<String> lines = shuffled.lines().toList();
        assertEquals(List.of(5, 5, 2), lines.stream().map(l -> l.split("(?<=。)").length).toList(), shuffled);
        List<String> after = new ArrayList<>();
        lines.forEach(l -> after.addAll(List.of(l.split("(?<=。)"))));
        assertNotEquals(sentences, after, "the order changed");
        assertEquals(sentences.stream().sorted().toList(), after.stream().sorted().toList(), "no sentence lost");
    }

    /**
     * A rate recomputed from printed figures agrees with the printed rate within what printing changes: the time
     * is off by up to {@code timeRounding} (0.005 s with two decimals), the rate by up to {@code rounding}.
     */
    private static void assertClose(double expected, double printed, double printedSeconds, double timeRounding,
                                    double rounding, String what) {
        double tolerance = expected * (timeRounding * 1.02) / (printedSeconds - timeRounding) + rounding;
        assertEquals(expected, printed, tolerance, what);
    }
}
