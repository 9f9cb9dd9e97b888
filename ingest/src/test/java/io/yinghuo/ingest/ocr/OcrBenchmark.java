package io.yinghuo.ingest.ocr;

import com.ibm.icu.text.Transliterator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.awt.Font;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * The OCR benchmark behind BENCHMARKS.md: full A4 pages of dev-set articles typeset at 300 dpi, recognised by
 * the {@link TesseractCommand} the parsers use, clean and degraded, simplified and traditional. Prints one row per
 * script and quality: character error rate (see {@link CharacterErrorRate}) and pages per minute with one
 * Tesseract process at a time (recognition only: typesetting and degrading are not timed). Opt-in (minutes of CPU):
 * {@code mvn -pl ingest test -Dtest=OcrBenchmark -Dyinghuo.ocr.benchmark=true [-Dyinghuo.ocr.benchmark.pages=4]
 * [-Dyinghuo.ocr.languages=auto|chi_sim|chi_tra|chi_sim+chi_tra] [-Dyinghuo.ocr.dpi=300]}.
 */
class OcrBenchmark {

    @Test
    void characterErrorRateAndSpeed() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("yinghuo.ocr.benchmark"),
                "opt-in: run with -Dyinghuo.ocr.benchmark=true");
        int pages = Integer.getInteger("yinghuo.ocr.benchmark.pages", 4);
        int lines = Integer.getInteger("yinghuo.ocr.benchmark.lines", 36);
        TesseractCommand engine = TesseractCommand.fromEnvironment();
        Assumptions.assumeTrue(engine.unavailableReason() == null, engine.unavailableReason());
        Transliterator toTraditional = Transliterator.getInstance("Simplified-Traditional");
        List<String> simplified = DevDocuments.first("cmrc2018_documents.jsonl", 4 * pages).stream()
                .map(DevDocuments.Document::text).toList();
        List<String> traditional = DevDocuments.first("drcd_documents.jsonl", 4 * pages).stream()
                .map(DevDocuments.Document::text).toList();
        List<String> converted = simplified.stream().map(toTraditional::transliterate).toList();

        System.out.println("OCR benchmark: " + engine + ", " + pages + " pages per row, " + lines
                + " lines of 12 pt per A4 page at 300 dpi, recognised at " + RecognitionResolution.DPI + " dpi, "
                + Runtime.getRuntime().availableProcessors() + " cores");
        System.out.println("| script | font | quality | pages | characters | CER | pages/min |");
        System.out.println("|---|---|---|---|---|---|---|");
        row(engine, "simplified (CMRC 2018)", "Noto Serif CJK SC", simplified, pages, lines, false);
        row(engine, "simplified (CMRC 2018)", "Noto Serif CJK SC", simplified, pages, lines, true);
        row(engine, "simplified (CMRC 2018)", "Noto Sans CJK SC", simplified, pages, lines, false);
        row(engine, "traditional (DRCD)", "Noto Serif CJK TC", traditional, pages, lines, false);
        row(engine, "traditional (DRCD)", "Noto Serif CJK TC", traditional, pages, lines, true);
        row(engine, "traditional (CMRC via ICU)", "Noto Sans CJK TC", converted, pages, lines, false);
        row(engine, "traditional (CMRC via ICU)", "Noto Sans CJK TC", converted, pages, lines, true);
    }

    private static void row(TesseractCommand engine, String script, String family, List<String> texts, int pages,
                            int lines, boolean degraded) throws Exception {
        Font font = PrintedPages.fontOrSkip(family, 12);
        long errors = 0;
        long characters = 0;
        long nanos = 0;
        // Articles run on from page to page, so that every page is full (CMRC articles are shorter than a page).
        String rest = String.join("", texts);
        for (int i = 0; i < pages; i++) {
            PrintedPages.Layout layout = PrintedPages.layout(rest, font, lines);
            rest = layout.rest();
            BufferedImage page = PrintedPages.render(layout.lines(), font, PrintedPages.PAGE_HEIGHT);
            if (degraded) {
                page = PrintedPages.degrade(page, 1.5, 12, 0.5f, i);
            }
            long start = System.nanoTime();
            RecognisedPage recognised = engine.recognise(page, PrintedPages.DPI);
            nanos += System.nanoTime() - start;
            String text = String.join("", OcrParagraphs.of(recognised).stream()
                    .map(OcrParagraphs.Paragraph::text).toList());
            double cer = CharacterErrorRate.of(layout.printed(), text);
            int length = layout.printed().codePointCount(0, layout.printed().length());
            errors += Math.round(cer * length);
            characters += length;
        }
        double pagesPerMinute = pages / (nanos / 1e9 / 60);
        System.out.printf(Locale.ROOT, "| %s | %s | %s | %d | %d | %.2f %% | %.1f |%n", script, family,
                degraded ? "degraded (1.5° rotation, noise σ 12, JPEG q 50)" : "clean 300 dpi", pages,
                characters, 100.0 * errors / characters, pagesPerMinute);
    }
}
