package io.yinghuo.ingest.ocr;

import com.ibm.icu.text.Transliterator;

/**
 * Tells traditional from simplified Chinese text by its characters: the share of Han characters that exist only in
 * traditional form, i.e. that ICU's "Traditional-Simplified" transliterator changes (about a third of the
 * characters of running traditional text; next to none of simplified text, where only the few characters the two
 * scripts share unchanged appear).
 */
public final class ChineseScript {

    private static final ThreadLocal<Transliterator> TO_SIMPLIFIED =
            ThreadLocal.withInitial(() -> Transliterator.getInstance("Traditional-Simplified"));

    private static final ThreadLocal<Transliterator> TO_TRADITIONAL =
            ThreadLocal.withInitial(() -> Transliterator.getInstance("Simplified-Traditional"));

    private ChineseScript() {
    }

    /** Whether {@code c} is written differently in the other script (a simplified-only or traditional-only form). */
    static boolean differsBetweenScripts(int c) {
        if (Character.UnicodeScript.of(c) != Character.UnicodeScript.HAN) {
            return false;
        }
        String one = new String(Character.toChars(c));
        return !TO_SIMPLIFIED.get().transliterate(one).equals(one) || !TO_TRADITIONAL.get().transliterate(one).equals(one);
    }

    /**
     * The mean confidence of the words holding a character that the two scripts write differently: where a model
     * of the wrong script has to guess (it maps the glyph onto its own, differently drawn form), so where the two
     * models' confidences differ most. NaN when the page has no such word.
     */
    public static double scriptSensitiveConfidence(RecognisedPage page) {
        double sum = 0;
        int n = 0;
        for (RecognisedWord word : page.words()) {
            if (word.text().codePoints().anyMatch(ChineseScript::differsBetweenScripts)) {
                sum += word.confidence();
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Of the Han characters in {@code text}, the fraction that are traditional-only forms; 0 without Han. */
    public static double traditionalShare(String text) {
        Transliterator toSimplified = TO_SIMPLIFIED.get();
        int han = 0;
        int traditional = 0;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (Character.UnicodeScript.of(c) != Character.UnicodeScript.HAN) {
                continue;
            }
            han++;
            String one = new String(Character.toChars(c));
            if (!toSimplified.transliterate(one).equals(one)) {
                traditional++;
            }
        }
        return han == 0 ? 0 : traditional / (double) han;
    }
}
