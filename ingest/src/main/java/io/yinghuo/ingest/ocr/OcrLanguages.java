package io.yinghuo.ingest.ocr;

/**
 * Which Tesseract language models read a page.
 *
 * <p>Why not "chi_sim+chi_tra" in one pass (Tesseract's way of mixing languages,
 * https://tesseract-ocr.github.io/tessdoc/Command-Line-Usage.html#using-multiple-languages): measured on typeset
 * CMRC 2018 pages, the mix misread simplified pages badly (15 % character errors against 3.5 % for chi_sim alone),
 * because each model also "reads" the other script, mapping each glyph onto its own script's form. For the same
 * reason the script cannot be read off a first pass's text: chi_sim turns a traditional page into simplified
 * characters and chi_tra the reverse, and whole-page confidences differ by only a few points. What does tell the
 * scripts apart is the confidence on the words holding a character the two scripts write differently
 * ({@link ChineseScript#scriptSensitiveConfidence}): there the wrong model has to guess. On 10 CMRC 2018
 * (simplified) and 10 DRCD (traditional) pages, clean and degraded, chi_sim scored 82–91 on such words of
 * simplified pages and 57–73 on traditional ones, and the right model always scored higher than the wrong one, by
 * 3–13 points on simplified pages and 16–32 on traditional ones.
 *
 * <p>So {@link #AUTO} reads every page with chi_sim first (most uploads are simplified) and, when chi_sim is unsure
 * of those words (below {@value #UNSURE_BELOW}), again with chi_tra, keeping whichever model is surer of them. The
 * script follows the page; simplified pages cost one pass, traditional ones two.
 */
public final class OcrLanguages {

    /** Per page: chi_sim, and chi_tra too when chi_sim is unsure; see the class comment. */
    public static final String AUTO = "auto";
    public static final String DEFAULT = AUTO;

    static final String SIMPLIFIED = "chi_sim";
    static final String TRADITIONAL = "chi_tra";

    /**
     * Below this confidence (0–100) of chi_sim on script-sensitive words, the page is read again with chi_tra:
     * halfway between the lowest simplified (82) and the highest traditional (73) page measured with the "fast"
     * models Debian installs.
     */
    static final double UNSURE_BELOW = 78;

    /**
     * The same threshold for the tessdata models (the "best" networks converted to integers), which are surer of
     * every page: on eight clean and degraded test pages chi_sim scored 94–95.5 on simplified pages and 82–88.5 on
     * traditional ones (chi_tra scoring higher on each of those). Used when a models folder is given: a folder
     * holding the fast models then costs a second pass on more simplified pages, never a wrong script, since the
     * surer of the two passes still wins.
     */
    static final double UNSURE_BELOW_MODELS_FOLDER = 92;

    private OcrLanguages() {
    }

    /** The models a setting needs installed. */
    static String[] required(String languages) {
        return AUTO.equals(languages) ? new String[] {SIMPLIFIED, TRADITIONAL} : languages.split("\\+");
    }
}
