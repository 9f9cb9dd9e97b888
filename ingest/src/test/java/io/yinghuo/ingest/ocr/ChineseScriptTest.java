package io.yinghuo.ingest.ocr;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The script a page is read in follows its characters: what {@link OcrLanguages#AUTO} decides by. */
class ChineseScriptTest {

    @Test
    void traditionalTextHasAMarkedShareOfTraditionalOnlyCharactersAndSimplifiedNone() {
        String traditional = "新約聖經是基督教的經典，由二十七卷書組成。";
        String simplified = "新约圣经是基督教的经典，由二十七卷书组成。";
        // 約 聖 經 經 書 組 are traditional-only: 6 of the 19 hanzi
        assertEquals(6 / 19.0, ChineseScript.traditionalShare(traditional), 1e-9);
        assertEquals(0, ChineseScript.traditionalShare(simplified));
        assertEquals(0, ChineseScript.traditionalShare("Hello, OCR 123"), "no hanzi at all");
        assertEquals(0.5, ChineseScript.traditionalShare("𠀀經"), 1e-9, "a supplementary hanzi counts once");
    }

    @Test
    void charactersTheScriptsWriteAlikeAreNotScriptSensitive() {
        assertTrue(ChineseScript.differsBetweenScripts('經'), "traditional-only");
        assertTrue(ChineseScript.differsBetweenScripts('经'), "simplified-only");
        assertEquals(false, ChineseScript.differsBetweenScripts('的'), "shared");
        assertEquals(false, ChineseScript.differsBetweenScripts('A'), "not Han");
    }

    /**
     * Only words holding a character the two scripts write differently count: there a model of the wrong script
     * has to guess, so those words' mean confidence tells the script; a page without such words has none.
     */
    @Test
    void theScriptSensitiveConfidenceIsTheMeanOverWordsWithACharacterTheScriptsWriteDifferently() {
        RecognisedPage page = new RecognisedPage(100, 100, List.of(
                new RecognisedWord(1, 1, 1, "经典", 0, 0, 10, 10, 60),
                new RecognisedWord(1, 1, 1, "的", 10, 0, 10, 10, 99),
                new RecognisedWord(1, 1, 1, "書", 20, 0, 10, 10, 80),
                new RecognisedWord(1, 1, 1, "OCR", 30, 0, 10, 10, 10)));
        assertEquals(70, ChineseScript.scriptSensitiveConfidence(page), 1e-9);
        RecognisedPage shared = new RecognisedPage(100, 100, List.of(
                new RecognisedWord(1, 1, 1, "的", 0, 0, 10, 10, 99)));
        assertTrue(Double.isNaN(ChineseScript.scriptSensitiveConfidence(shared)));
    }
}
