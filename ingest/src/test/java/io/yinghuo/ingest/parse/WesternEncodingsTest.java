package io.yinghuo.ingest.parse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Short European text files in the legacy single-byte charsets read back exactly. ICU's detector alone took the
 * French lines below for ISO-8859-2 (issue 24: "À demain, chère amie." came back as "Ŕ demain, chčre amie.") and
 * the German one for GB18030 had it got that far ("Schöne Grüße" is rare hanzi there); the Central European and
 * Turkish lines are those ICU already read right, which must stay so.
 */
class WesternEncodingsTest {

    private static final PlainTextParser PARSER = new PlainTextParser(ParseLimits.defaults());

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            // French lines ICU ranks ISO-8859-2 first (or ties it with ISO-8859-1 and names it first)
            "windows-1252|À demain, chère amie.",
            "windows-1252|Où est passé le chat ?",
            "windows-1252|Voilà où j'habite.",
            "windows-1252|Ça dépend où tu vas.",
            "windows-1252|Ça dépend où tu vas\u00A0!", // French typography: a no-break space before ! ? : ;
            // French, German, Spanish, Portuguese ICU reads right
            "windows-1252|Très bien, voilà où je suis. À bientôt, ça marche très bien.",
            "windows-1252|« Voilà » dit-il — c’est l’été… 5 €",
            "windows-1252|Schöne Grüße aus München! Die Straße ist über der Brücke, größer als früher.",
            "windows-1252|Grüße",
            "windows-1252|¿Dónde está la estación? El niño comió una manzana. ¡Qué año más difícil!",
            "windows-1252|Mañana habrá reunión en el salón.",
            "windows-1252|A situação é difícil, não há solução. Você está em São Paulo?",
            "windows-1252|It costs 5 £ per month.",
            // Czech, Polish, Hungarian, Turkish ICU reads right
            "ISO-8859-2|Děkuji, mám se dobře.",
            "ISO-8859-2|Čaj a káva, prosím.", // reads as French "Èaj" too: ICU's higher confidence decides
            "ISO-8859-2|Zażółć gęślą jaźń. Pchnąć w tę łódź jeża lub ośm skrzyń fig. Dzień dobry, jak się masz?",
            "ISO-8859-2|Dzień dobry, jak się masz?",
            "ISO-8859-2|Árvíztűrő tükörfúrógép. Jó napot kívánok, hogy van?",
            "windows-1250|Zażółć gęślą jaźń. Pchnąć w tę łódź jeża lub ośm skrzyń fig. Dzień dobry, jak się masz?",
            "ISO-8859-9|Günaydın, nasılsınız? Çok güzel bir gün. Işık şehri İstanbul.",
            // Cyrillic is none of the Latin charsets: ICU's guess stands
            "windows-1251|Привет, мир! Это короткий тест без китайских букв.",
            // every letter here has a French look-alike in windows-1252 (вилка: âèëêà), yet ICU is sure of Russian
            "windows-1251|Вилка и кожа, пила и лапка, полка и палка.",
    })
    void aShortLegacyTextFileReadsBackExactly(String charset, String line) throws Exception {
        String text = line + "\n";
        ParsedDocument parsed = PARSER.parse("note.txt", text.getBytes(Charset.forName(charset)));
        assertEquals(text, parsed.text());
        assertEquals(0, parsed.warnings().size(), () -> parsed.warnings().toString());
    }

    /**
     * Where the candidates read alike (no letter tells them apart) the file is named windows-1252, what Western
     * Windows writes, even though ICU here ties ISO-8859-1 with ISO-8859-9 (31 each) and names the Turkish one first.
     */
    @Test
    void frenchIsNamedWindows1252WhereTheCandidatesReadAlike() throws Exception {
        String french = "Très bien, voilà où je suis. À bientôt, ça marche très bien.\n";
        TextDecoding.DecodedText decoded = TextDecoding.decode("fr.txt", french.getBytes(Charset.forName("windows-1252")));
        assertEquals("windows-1252", decoded.charset());
        assertEquals(french, decoded.text());
    }

    /** ICU ranks ISO-8859-1 first for this Czech pangram (33 against 21) and turns ř, š, ž into ø, ¹, ¾. */
    @Test
    void czechThatIcuTakesForWesternIsReadAsCzech() throws Exception {
        String czech = "Příliš žluťoučký kůň úpěl ďábelské ódy. Dobrý den, jak se máte? Děkuji, mám se dobře.\n";
        assertEquals(czech, PARSER.parse("cs.txt", czech.getBytes(Charset.forName("ISO-8859-2"))).text());
        assertEquals(czech, PARSER.parse("cs.txt", czech.getBytes(Charset.forName("windows-1250"))).text());
    }

    @Test
    void chineseLegacyFilesStillReadAsChinese() throws Exception {
        String simplified = "第一章 总则\n为了规范数据处理活动，保障数据安全，制定本法。\n";
        String traditional = "新約聖經是基督教的經典，由二十七卷書組成。\n";
        assertEquals(simplified, PARSER.parse("a.txt", simplified.getBytes(Charset.forName("GB18030"))).text());
        assertEquals(traditional, PARSER.parse("b.txt", traditional.getBytes(Charset.forName("Big5"))).text());
        assertEquals(simplified, PARSER.parse("c.txt", simplified.getBytes(StandardCharsets.UTF_8)).text());
    }
}
