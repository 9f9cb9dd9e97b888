package io.yinghuo.ingest.parse;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.yinghuo.ingest.SharedFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.file.Files;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When a Windows-949 reading counts as Korean: the bounds of {@link KoreanSyllables#isKorean}, and real Chinese. */
class KoreanSyllablesTest {

    /** 뷁 is a syllable no Korean sentence needs: hangul, but not a frequent one. */
    private static String rare(int count) {
        return "뷁".repeat(count);
    }

    @Test
    void sixSyllablesHalfOfThemFrequentAreKoreanFiveAreTooFew() {
        assertTrue(KoreanSyllables.isKorean("이다는" + rare(3)));
        assertFalse(KoreanSyllables.isKorean("이다는" + rare(2)), "5 syllables");
        assertFalse(KoreanSyllables.isKorean("이다" + rare(4)), "2 of 6 frequent");
    }

    @Test
    void theFrequentSyllablesMustBeAtLeast35PercentOfTheHangul() {
        assertTrue(KoreanSyllables.isKorean("이다는의에하고" + rare(13)), "7 of 20");
        assertFalse(KoreanSyllables.isKorean("이다는의에하" + rare(14)), "6 of 20");
    }

    @Test
    void asciiDoesNotCountButOtherCharactersMustBeFewerThanTheHangul() {
        assertTrue(KoreanSyllables.isKorean("Seoul 서울은 한국의 수도이다. 2024!"), "10 hangul, 6 frequent");
        assertTrue(KoreanSyllables.isKorean("이다는의에하" + "漢字漢字漢字"), "6 hangul, 6 others");
        assertFalse(KoreanSyllables.isKorean("이다는의에하" + "漢字漢字漢字漢"), "6 hangul, 7 others");
    }

    @Test
    void atMostOnePercentOfTheNonAsciiCharactersMayBeReplacements() {
        String hundred = "이다는의에하고을가지".repeat(10);
        assertTrue(KoreanSyllables.isKorean(hundred.substring(1) + "\uFFFD"), "1 of 100");
        assertFalse(KoreanSyllables.isKorean(hundred.substring(2) + "\uFFFD"), "1 of 99");
    }

    /**
     * CMRC 2018 (Simplified) and DRCD (Traditional) documents in GBK and Big5: none of their beginnings, cut at every
     * even byte count from 4 to 600 bytes, nor the whole document, reads as Korean in code page 949, and the whole
     * document decodes to itself.
     */
    @ParameterizedTest
    @ValueSource(strings = {"cmrc2018_documents.jsonl:GBK", "drcd_documents.jsonl:Big5", "drcd_documents.jsonl:GBK"})
    void noBeginningOfARealChineseDocumentReadsAsKorean(String spec) throws Exception {
        String[] parts = spec.split(":");
        Charset charset = Charset.forName(parts[1]);
        CharsetEncoder encoder = charset.newEncoder();
        Charset korean = Charset.forName("x-windows-949");
        ObjectMapper json = new ObjectMapper();
        int documents = 0;
        for (String line : Files.readAllLines(SharedFiles.dataFileOrSkip(parts[0]))) {
            StringBuilder encodable = new StringBuilder();
            json.readTree(line).get("text").asText().codePoints()
                    .filter(cp -> encoder.canEncode(new String(Character.toChars(cp))))
                    .forEach(encodable::appendCodePoint);
            String text = encodable.toString();
            byte[] bytes = text.getBytes(charset);
            for (int length = 4; length <= Math.min(600, bytes.length); length += 2) {
                String reading = new String(Arrays.copyOf(bytes, length), korean);
                assertFalse(KoreanSyllables.isKorean(reading), () -> "\"" + reading + "\" from " + text);
            }
            assertEquals(TextDecoding.normalizeNewlines(text), TextDecoding.decode("zh.txt", bytes).text());
            documents++;
        }
        assertTrue(documents > 100, documents + " documents");
    }
}
