package io.yinghuo.ingest.ocr;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How we run Tesseract, with a stand-in program in its place (a shell script that answers as Tesseract does, from
 * files the test writes, and records each command line): the options each page is read with, what a user is told
 * when Tesseract fails, hangs, writes nothing or lacks the Chinese models, that no temporary files are left behind,
 * and which of the two Chinese models' readings a page keeps. Recognition itself is tested against the real
 * Tesseract elsewhere ({@code ScanOcrTest}, {@code OcrModelsFolderTest}).
 */
@EnabledOnOs(OS.LINUX) // the stand-in reads /proc to record the folder its output goes to
class TesseractCommandTest {

    private static final String BOTH_MODELS = "List of available languages in \"/usr/share/tessdata/\" (3):\n"
            + "chi_sim\nchi_tra\neng\n";
    private static final String OPTIONS = "--oem 1 --psm 3";
    private static final String TSV_OPTIONS = "-c tessedit_create_tsv=1 -c tessedit_create_txt=0";
    private static final String UNAVAILABLE_SUFFIX = " (install the packages " + TesseractCommand.PACKAGES + ")";

    @TempDir
    Path dir;
    private Path control;
    private Path tesseract;

    @BeforeEach
    void standIn() throws IOException {
        control = Files.createDirectory(dir.resolve("control"));
        Files.writeString(control.resolve("langs.txt"), BOTH_MODELS);
        tesseract = dir.resolve("tesseract");
        Files.writeString(tesseract, """
                #!/bin/sh
                C='%s'
                echo "$*" >> "$C/calls.txt"
                out=$(readlink /proc/$$/fd/1) # the file Tesseract's standard output goes to
                echo "$out" >> "$C/outputs.txt"
                cat > /dev/null # reads its standard input to the end, as Tesseract does with the image "-"
                case " $* " in *" --list-langs "*) cat "$C/langs.txt"; exit 0;; esac
                lang=""; prev=""
                for a in "$@"; do [ "$prev" = "-l" ] && lang="$a"; prev="$a"; done
                [ -f "$C/stderr.txt" ] && cat "$C/stderr.txt" >&2
                [ -f "$C/hang" ] && exec sleep 60
                [ -f "$C/tsv-$lang" ] && cp "$C/tsv-$lang" "$2.tsv"
                [ -f "$C/exit" ] && exit "$(cat "$C/exit")"
                exit 0
                """.formatted(control));
        Files.setPosixFilePermissions(tesseract, PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void aPageIsReadFromTheTsvWithTheOptionsItNeedsAndLeavesNoFilesBehind() throws Exception {
        page("chi_sim", word("长江", 91.5f));
        RecognisedPage page = engine("chi_sim").recognise(new byte[] {1, 2, 3}, 300);

        assertEquals(640, page.width());
        assertEquals(480, page.height());
        assertEquals(List.of(new RecognisedWord(1, 1, 1, "长江", 10, 20, 30, 40, 91.5f)), page.words());
        List<String> calls = calls();
        assertEquals(2, calls.size(), "the models check, then the page: " + calls);
        assertEquals("--list-langs", calls.get(0));
        assertTrue(calls.get(1).endsWith("/out -l chi_sim " + OPTIONS + " --dpi 300 " + TSV_OPTIONS), calls.get(1));
        assertTrue(calls.get(1).matches(".*/page\\.img .*"), "the image is given as a file: " + calls.get(1));
        assertTemporaryFoldersRemoved();
    }

    @Test
    void anImageWithoutAResolutionLetsTesseractGuessIt() throws Exception {
        page("chi_sim", word("长江", 90));
        engine("chi_sim").recognise(new byte[] {1}, 0);
        assertFalse(calls().get(1).contains("--dpi"), calls().get(1));
    }

    @Test
    void aFailingRunNamesItsExitCodeAndItsLastErrorLine() throws Exception {
        Files.writeString(control.resolve("stderr.txt"),
                "Tesseract Open Source OCR Engine v5.3.0 with Leptonica\nError in pixReadMem: Unknown format: no pix returned\n\n");
        Files.writeString(control.resolve("exit"), "3");
        OcrException e = assertThrows(OcrException.class, () -> engine("chi_sim").recognise(new byte[] {1}, 300));
        assertEquals("tesseract failed (exit 3): Error in pixReadMem: Unknown format: no pix returned", e.getMessage());
        assertTemporaryFoldersRemoved();
    }

    @Test
    void aLongErrorLineIsCutToItsFirst200Characters() throws Exception {
        Files.writeString(control.resolve("stderr.txt"), "x".repeat(199) + "yz" + "w".repeat(50));
        Files.writeString(control.resolve("exit"), "1");
        OcrException e = assertThrows(OcrException.class, () -> engine("chi_sim").recognise(new byte[] {1}, 300));
        assertEquals("tesseract failed (exit 1): " + "x".repeat(199) + "y", e.getMessage());
    }

    @Test
    void aRunThatWritesNothingSaysSoWithWhatTesseractSaid() throws Exception {
        OcrException quiet = assertThrows(OcrException.class,
                () -> engine("chi_sim").recognise(new byte[] {1}, 300));
        assertEquals("tesseract produced no output", quiet.getMessage());

        Files.writeString(control.resolve("stderr.txt"), "Estimating resolution as 301\nEmpty page!!\n");
        OcrException said = assertThrows(OcrException.class,
                () -> engine("chi_sim").recognise(new byte[] {1}, 300));
        assertEquals("tesseract produced no output: Empty page!!", said.getMessage());
        assertTemporaryFoldersRemoved();
    }

    @Test
    void aPageOverItsTimeIsStoppedAndSaysHowLongItMayTake() throws Exception {
        Files.writeString(control.resolve("hang"), "");
        TesseractCommand engine = new TesseractCommand(tesseract.toString(), "chi_sim", Duration.ofSeconds(1));
        long start = System.nanoTime();
        OcrException e = assertThrows(OcrException.class, () -> engine.recognise(new byte[] {1}, 300));
        assertEquals("tesseract took longer than 1 s on the page", e.getMessage());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(30).toNanos(), "the stand-in ran to its end");
        assertTemporaryFoldersRemoved();
    }

    @Test
    void missingChineseModelsAreNamedWithThePackagesThatHoldThemCheckedOnce() throws Exception {
        Files.writeString(control.resolve("langs.txt"), "List of available languages (2):\neng\nosd\n");
        TesseractCommand engine = engine(OcrLanguages.AUTO);
        String reason = "OCR is unavailable: Tesseract has no chi_sim, chi_tra language data" + UNAVAILABLE_SUFFIX;
        assertEquals(reason, engine.unavailableReason());
        assertEquals(reason, engine.unavailableReason());
        OcrException e = assertThrows(OcrException.class, () -> engine.recognise(new byte[] {1}, 300));
        assertEquals(reason, e.getMessage());
        assertEquals(List.of("--list-langs"), calls(), "checked once, and no page run without the models");
        assertTemporaryFoldersRemoved();
    }

    @Test
    void onlyTheModelsAskedForAreRequired() throws Exception {
        Files.writeString(control.resolve("langs.txt"), "List of available languages (2):\nchi_tra\neng\n");
        assertNull(engine("chi_tra").unavailableReason());
        assertEquals("OCR is unavailable: Tesseract has no chi_sim language data" + UNAVAILABLE_SUFFIX,
                engine("chi_sim+chi_tra").unavailableReason());
    }

    @Test
    void aCommandThatCannotBeRunIsNamed() {
        String missing = dir.resolve("no-such-tesseract").toString();
        TesseractCommand engine = new TesseractCommand(missing, OcrLanguages.AUTO, Duration.ofSeconds(5));
        assertEquals("OCR is unavailable: the " + missing + " command could not be run" + UNAVAILABLE_SUFFIX,
                engine.unavailableReason());
    }

    @Test
    void aModelsFolderGoesToTheCheckAndToEveryPageAndNamesTheFilesItLacks() throws Exception {
        Path models = Files.createDirectory(dir.resolve("models"));
        page("chi_sim", word("长江", 95));
        TesseractCommand engine = new TesseractCommand(tesseract.toString(), "chi_sim", Duration.ofSeconds(30),
                models);
        engine.recognise(new byte[] {1}, 300);
        String folder = "--tessdata-dir " + models.toAbsolutePath();
        assertEquals(folder + " --list-langs", calls().get(0));
        assertTrue(calls().get(1).contains("/out " + folder + " -l chi_sim "), calls().get(1));

        Files.writeString(control.resolve("langs.txt"), "List of available languages (1):\neng\n");
        TesseractCommand lacking = new TesseractCommand(tesseract.toString(), OcrLanguages.AUTO,
                Duration.ofSeconds(30), models);
        assertEquals("OCR is unavailable: the OCR models folder " + models
                + " has no chi_sim, chi_tra language data (chi_sim.traineddata, chi_tra.traineddata)",
                lacking.unavailableReason());
    }

    @Test
    void autoKeepsTheSimplifiedReadingWhenItIsSureOfTheWordsTheScriptsWriteDifferently() throws Exception {
        page("chi_sim", word("书", (float) OcrLanguages.UNSURE_BELOW), word("人", 10));
        page("chi_tra", word("書", 99));
        RecognisedPage page = engine(OcrLanguages.AUTO).recognise(new byte[] {1}, 300);
        assertEquals("书", page.words().get(0).text());
        assertEquals(List.of("chi_sim"), languagesRun(), "read once: sure enough at the threshold itself");
    }

    @Test
    void autoKeepsTheSimplifiedReadingOfAPageWithoutSuchWordsHoweverUnsure() throws Exception {
        page("chi_sim", word("人", 5), word("ABC", 1)); // characters both scripts write alike
        engine(OcrLanguages.AUTO).recognise(new byte[] {1}, 300);
        assertEquals(List.of("chi_sim"), languagesRun());
    }

    @Test
    void autoReadsAnUnsurePageAgainAndKeepsTheSurerReading() throws Exception {
        float unsure = (float) OcrLanguages.UNSURE_BELOW - 0.5f;
        page("chi_sim", word("书", unsure));
        page("chi_tra", word("書", unsure + 10));
        assertEquals("書", engine(OcrLanguages.AUTO).recognise(new byte[] {1}, 300).words().get(0).text());
        assertEquals(List.of("chi_sim", "chi_tra"), languagesRun());
    }

    @Test
    void autoKeepsTheSimplifiedReadingWhenTheTraditionalIsNoSurer() throws Exception {
        float unsure = (float) OcrLanguages.UNSURE_BELOW - 0.5f;
        page("chi_sim", word("书", unsure));
        page("chi_tra", word("書", unsure));
        assertEquals("书", engine(OcrLanguages.AUTO).recognise(new byte[] {1}, 300).words().get(0).text());

        page("chi_tra", word("人", 99)); // the traditional reading has no word that tells the scripts apart
        assertEquals("书", engine(OcrLanguages.AUTO).recognise(new byte[] {1}, 300).words().get(0).text());
    }

    @Test
    void withItsOwnModelsFolderAutoAsksForMoreCertainty() throws Exception {
        Path models = Files.createDirectory(dir.resolve("models"));
        float between = (float) (OcrLanguages.UNSURE_BELOW + OcrLanguages.UNSURE_BELOW_MODELS_FOLDER) / 2;
        page("chi_sim", word("书", between));
        page("chi_tra", word("書", between + 1));
        TesseractCommand engine = new TesseractCommand(tesseract.toString(), OcrLanguages.AUTO,
                Duration.ofSeconds(30), models);
        assertEquals("書", engine.recognise(new byte[] {1}, 300).words().get(0).text());
    }

    @Test
    void theSystemPropertiesChooseTheCommandTheModelsTheTimeAndTheModelsFolder() throws Exception {
        String[] keys = {"yinghuo.tesseract", "yinghuo.ocr.languages", "yinghuo.ocr.pageTimeout", "yinghuo.ocr.models"};
        String[] saved = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            saved[i] = System.getProperty(keys[i]);
        }
        try {
            System.setProperty("yinghuo.tesseract", tesseract.toString());
            System.setProperty("yinghuo.ocr.languages", "chi_tra");
            System.setProperty("yinghuo.ocr.pageTimeout", "7");
            System.setProperty("yinghuo.ocr.models", " ");
            page("chi_tra", word("書", 90));
            TesseractCommand engine = TesseractCommand.fromEnvironment();
            assertEquals("chi_tra", engine.languages());
            assertEquals("tesseract (chi_tra, 7 s per page)", engine.toString());
            engine.recognise(new byte[] {1}, 300);
            assertFalse(String.join("\n", calls()).contains("--tessdata-dir"), "a blank folder is none");

            Path missing = dir.resolve("no-models");
            System.setProperty("yinghuo.ocr.models", missing.toString());
            assertEquals("OCR is unavailable: the OCR models folder " + missing + " does not exist",
                    TesseractCommand.fromEnvironment().unavailableReason());
        } finally {
            for (int i = 0; i < keys.length; i++) {
                if (saved[i] == null) {
                    System.clearProperty(keys[i]);
                } else {
                    System.setProperty(keys[i], saved[i]);
                }
            }
        }
    }

    private TesseractCommand engine(String languages) {
        return new TesseractCommand(tesseract.toString(), languages, Duration.ofSeconds(30));
    }

    /** The TSV the stand-in writes for a page read with {@code model}: a 640 x 480 page and these words. */
    private void page(String model, String... words) throws IOException {
        StringBuilder tsv = new StringBuilder(
                "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
                        + "1\t1\t0\t0\t0\t0\t0\t0\t640\t480\t-1\t\n");
        for (String word : words) {
            tsv.append(word).append('\n');
        }
        Files.writeString(control.resolve("tsv-" + model), tsv.toString(), StandardCharsets.UTF_8);
    }

    private static String word(String text, float confidence) {
        return "5\t1\t1\t1\t1\t1\t10\t20\t30\t40\t" + confidence + "\t" + text;
    }

    /** The arguments of each run of the stand-in, in order. */
    private List<String> calls() throws IOException {
        return Files.readAllLines(control.resolve("calls.txt"));
    }

    private List<String> languagesRun() throws IOException {
        return calls().stream().filter(call -> call.contains(" -l "))
                .map(call -> call.replaceAll(".* -l (\\S+) .*", "$1")).toList();
    }

    private void assertTemporaryFoldersRemoved() throws IOException {
        for (String output : Files.readAllLines(control.resolve("outputs.txt"))) {
            Path folder = Path.of(output).getParent();
            assertTrue(folder.getFileName().toString().startsWith("yinghuo-ocr-"), output);
            assertFalse(Files.exists(folder), folder + " was left behind");
        }
    }
}
