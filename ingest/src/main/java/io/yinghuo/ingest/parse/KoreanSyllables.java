package io.yinghuo.ingest.parse;

/**
 * Whether a reading of legacy double-byte bytes as Korean (EUC-KR / Windows code page 949) is really Korean.
 *
 * <p>EUC-KR and GB2312 share their byte layout (both bytes 0xA1–0xFE), and KS X 1001 puts its 2,350 hangul syllables
 * in rows 0xB0–0xC8, where GB2312 has its most common hanzi. Korean text read as GB18030 therefore looks like a text
 * of common hanzi, and Chinese text read as EUC-KR looks like a text of hangul: neither reading has odd characters
 * to give it away. What differs is frequency. Running Korean text is dominated by a few dozen syllables (the
 * particles and endings 이 다 는 의 에 을 를 고 하 ..., in almost every sentence); the syllables that Chinese bytes
 * happen to land on are spread over the whole table. ICU's charset detector decides EUC-KR the same way, by the share
 * of the most common character codes ({@code CharsetRecog_mbcs.CharsetRecog_euc_kr} in ICU4J).
 */
final class KoreanSyllables {

    /**
     * Frequent syllables of running Korean text, written from general knowledge of Korean syllable frequency (most
     * frequent first, approximately). In ten Korean texts of 34–61 syllables (news, law, conversation, history, a
     * recipe) 39–61 % of the syllables are among them; in the Korean readings of CMRC 2018 and DRCD documents encoded
     * as GBK and Big5, at most a third (at 6 hangul), and typically none (BENCHMARKS.md, "Korean files").
     */
    private static final String FREQUENT = "이다는의에하고을가지기한로서도은를사리대자시어수정아인일나해적전부상그있으들라주것게보면장성제여요국";

    /** Fewer hangul than this are too few to tell Korean from the chance hangul of a Chinese reading. */
    static final int MIN_SYLLABLES = 6;
    /** At least this share of the hangul must be frequent syllables (so at least 3 of 6: 2 of 6 happens by chance). */
    static final double MIN_FREQUENT_SHARE = 0.35;

    private KoreanSyllables() {
    }

    /**
     * Whether {@code reading} (bytes decoded as Windows-949, replacement characters kept) is Korean text: at least
     * {@link #MIN_SYLLABLES} hangul syllables, making up at least half of its non-ASCII characters, at most 1 % of
     * them replacement characters, and enough frequent syllables among the hangul.
     */
    static boolean isKorean(String reading) {
        int nonAscii = 0;
        int replaced = 0;
        int syllables = 0;
        int frequent = 0;
        for (int i = 0; i < reading.length(); i++) {
            char c = reading.charAt(i);
            if (c < 0x80) {
                continue;
            }
            nonAscii++;
            if (c == '\uFFFD') {
                replaced++;
            } else if (c >= 0xAC00 && c <= 0xD7A3) {
                syllables++;
                if (FREQUENT.indexOf(c) >= 0) {
                    frequent++;
                }
            }
        }
        return syllables >= MIN_SYLLABLES
                && syllables * 2 >= nonAscii
                && replaced * 100 <= nonAscii
                && frequent >= syllables * MIN_FREQUENT_SHARE;
    }
}
