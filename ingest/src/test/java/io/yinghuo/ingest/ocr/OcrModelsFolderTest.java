package io.yinghuo.ingest.ocr;

import io.yinghuo.ingest.parse.DocumentParsers;
import io.yinghuo.ingest.parse.ParseLimits;
import io.yinghuo.ingest.parse.ParsedDocument;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code -Dyinghuo.ocr.models=DIR}: Tesseract reads its language models from a folder of the user's (for example
 * the more accurate tessdata models) instead of the installed ones. The folder holds only {@code .traineddata}
 * files, no {@code configs/}, so the TSV output must not depend on a config file.
 */
class OcrModelsFolderTest {

    @TempDir
    Path dir;

    @Test
    void aMissingFolderMakesOcrUnavailableNamingIt() {
        Path missing = dir.resolve("no-such-models");
        TesseractCommand engine = new TesseractCommand("tesseract", OcrLanguages.DEFAULT, Duration.ofSeconds(60),
                missing);
        String reason = engine.unavailableReason();
        assertNotNull(reason);
        assertTrue(reason.contains(missing.toString()), reason);
    }

    @Test
    void aFolderWithoutTheChineseModelsNamesTheFilesItLacks() throws Exception {
        Assumptions.assumeTrue(installedModels() != null, "tesseract is not installed");
        Files.writeString(dir.resolve("README.txt"), "empty", StandardCharsets.UTF_8);
        TesseractCommand engine = new TesseractCommand("tesseract", OcrLanguages.DEFAULT, Duration.ofSeconds(60),
                dir);
        String reason = engine.unavailableReason();
        assertNotNull(reason);
        assertTrue(reason.contains("chi_sim.traineddata") && reason.contains("chi_tra.traineddata"), reason);
        assertTrue(reason.contains(dir.toString()), reason);
    }

    @Test
    void pagesAreRecognisedWithTheModelsOfTheFolder() throws Exception {
        Path installed = installedModels();
        Assumptions.assumeTrue(installed != null, "tesseract is not installed");
        for (String model : new String[] {"chi_sim.traineddata", "chi_tra.traineddata"}) {
            Assumptions.assumeTrue(Files.isRegularFile(installed.resolve(model)), "no " + model + " installed");
            Files.createSymbolicLink(dir.resolve(model), installed.resolve(model));
        }
        TesseractCommand engine = new TesseractCommand("tesseract", OcrLanguages.DEFAULT, Duration.ofSeconds(60),
                dir);
        assertNull(engine.unavailableReason());
        assertTrue(engine.toString().contains(dir.toString()), engine.toString());

        Font font = PrintedPages.fontOrSkip("Noto Sans CJK SC", 12);
        String text = DevDocuments.first("cmrc2018_documents.jsonl", 2).get(1).text();
        PrintedPages.Layout layout = PrintedPages.layout(text, font, 4);
        BufferedImage image = PrintedPages.render(layout.lines(), font, PrintedPages.heightFor(4, font));
        ParsedDocument doc = new DocumentParsers(ParseLimits.defaults(), engine).parse("扫描.png",
                PrintedPages.png(image));
        double cer = CharacterErrorRate.of(layout.printed(), doc.text());
        assertTrue(cer <= 0.05, "CER " + cer + "\n" + doc.text());
        assertEquals(1, doc.ocrPages().size());
        assertTrue(doc.ocrPages().get(0).words().size() > 10, "word boxes come from the TSV output");

        // A models folder reads pages again with chi_tra below a higher confidence (the tessdata models are surer
        // of every page); with the fast models in the folder a traditional page still comes out traditional.
        Font traditionalFont = PrintedPages.fontOrSkip("Noto Serif CJK TC", 12);
        String traditional = DevDocuments.first("drcd_documents.jsonl", 1).get(0).text();
        PrintedPages.Layout traditionalLayout = PrintedPages.layout(traditional, traditionalFont, 4);
        BufferedImage traditionalImage = PrintedPages.render(traditionalLayout.lines(), traditionalFont,
                PrintedPages.heightFor(4, traditionalFont));
        String read = new DocumentParsers(ParseLimits.defaults(), engine).parse("繁體.png",
                PrintedPages.png(traditionalImage)).text();
        assertTrue(CharacterErrorRate.of(traditionalLayout.printed(), read) <= 0.05, read);
        assertTrue(ChineseScript.traditionalShare(read) > 0.1, "traditional characters kept: " + read);
    }

    /** The folder {@code tesseract --list-langs} reports its installed models in, or null without Tesseract. */
    private static Path installedModels() throws InterruptedException {
        try {
            Process process = new ProcessBuilder("tesseract", "--list-langs").redirectErrorStream(true).start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return null;
            }
            Matcher folder = Pattern.compile("\"([^\"]+)\"").matcher(out);
            return folder.find() ? Path.of(folder.group(1)) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
