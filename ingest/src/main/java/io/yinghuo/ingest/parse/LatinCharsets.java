package io.yinghuo.ingest.parse;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Chooses among the single-byte Latin charsets (Western, Central European, Turkish) by what their decodings read like,
 * where ICU's detector guesses from too little text.
 *
 * <p>ICU's {@code CharsetDetector} judges a single-byte charset by the frequencies of byte trigrams in a few languages;
 * on a short text it often ranks a charset that turns letters into others: a French windows-1252 file read as
 * ISO-8859-2 has è, à, ù as č, ŕ, ů, and a Czech one read as windows-1252 has ř, š, ž as ø, ¹, ¾. Such a decoding mixes
 * letters that no single language uses together, or puts symbols in the middle of words. So each candidate's
 * decoding is scored by the language whose alphabet best covers its non-ASCII letters (see {@link #plausibility}),
 * and the highest score wins; a tie goes to the candidate ICU is more confident of, then to windows-1252, the charset
 * Western Windows writes (ICU's confidences tie too where it errs: "À demain, chère amie." scores 71 for both
 * ISO-8859-1 and ISO-8859-2, and ICU names ISO-8859-2 first). The price of that default: a Slovak line whose only
 * telling letter is one č ("Počkaj, idem.", ICU 23 for both) now reads as French "Poèkaj"; ICU had named ISO-8859-2
 * first there. One letter cannot tell the two apart, and windows-1252 files are the more common.
 *
 * <p>ISO-8859-1 and ISO-8859-9 are read as their Windows supersets (windows-1252, windows-1254), which differ only in
 * bytes 0x80–0x9F: C1 control codes there, punctuation such as € “ ” – in Windows. The WHATWG Encoding Standard maps
 * the labels the same way (https://encoding.spec.whatwg.org/#names-and-labels), because real files so labelled use
 * those bytes as Windows does. ISO-8859-2 and windows-1250 place letters differently (š is 0xB9 in one and 0x9A in the
 * other), so both are candidates.
 */
final class LatinCharsets {

    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    private static final Charset WINDOWS_1250 = Charset.forName("windows-1250");
    private static final Charset WINDOWS_1254 = Charset.forName("windows-1254");
    private static final Charset ISO_8859_2 = Charset.forName("ISO-8859-2");
    private static final List<Charset> CANDIDATES = List.of(WINDOWS_1252, ISO_8859_2, WINDOWS_1250, WINDOWS_1254);

    /**
     * The non-ASCII letters (lower case, upper case derived) of the languages written in these charsets. A decoding
     * whose letters all belong to one of them reads as that language; the lists follow the languages' standard
     * alphabets (Wikipedia's articles on each alphabet).
     */
    private static final Map<String, String> ALPHABETS = Map.ofEntries(
            Map.entry("French", "àâæçéèêëîïôœùûüÿ"),
            Map.entry("German", "äöüß"),
            Map.entry("Spanish", "áéíóúñü"),
            Map.entry("Portuguese", "áâãàçéêíóôõúü"),
            Map.entry("Italian", "àèéìíîòóùú"),
            Map.entry("Catalan", "àçéèíïòóúü"),
            Map.entry("Dutch", "áéëèíïóöúü"),
            Map.entry("Danish and Norwegian", "æøåéó"),
            Map.entry("Swedish and Finnish", "åäöéšž"),
            Map.entry("Icelandic", "áðéíóúýþæö"),
            Map.entry("Czech", "áčďéěíňóřšťúůýž"),
            Map.entry("Slovak", "áäčďéíĺľňóôŕšťúýž"),
            Map.entry("Polish", "ąćęłńóśźż"),
            Map.entry("Hungarian", "áéíóöőúüű"),
            Map.entry("Romanian", "ăâîşţșț"),
            Map.entry("Slovene, Croatian and Bosnian", "čćđšž"),
            Map.entry("Turkish", "çğıİöşüâîû"),
            Map.entry("Albanian", "çë"));

    private static final List<String> ALPHABET_LIST = List.copyOf(ALPHABETS.values());

    /** Punctuation and signs of Western text that none of the alphabets holds (ª, º and µ count as letters in Java). */
    private static final String SIGNS = "\u00A0¡¢£¤¥¦§¨©ª«¬\u00AD®¯°±²³´µ¶·¸¹º»¼½¾¿×÷€‚„…†‡‰‹›‘’“”•–—™";

    /** Signs that do stand between two letters of a word: the typographic apostrophe, Catalan's l·l, a soft hyphen. */
    private static final String WORD_JOINERS = "’·\u00AD";

    /**
     * Lookup tables for the characters below U+0300, which hold every letter these charsets decode to (Latin-1,
     * Latin Extended-A and B, and the spacing modifiers ˇ ˘ ˙ ˛ ˝ that Java counts as letters).
     */
    private static final int TABLE_SIZE = 0x300;
    private static final boolean[][] IN_ALPHABET = new boolean[ALPHABET_LIST.size()][TABLE_SIZE];
    private static final boolean[] IS_SIGN = new boolean[TABLE_SIZE];

    static {
        for (int l = 0; l < ALPHABET_LIST.size(); l++) {
            for (char c = 0; c < TABLE_SIZE; c++) {
                IN_ALPHABET[l][c] = inAlphabet(ALPHABET_LIST.get(l), c);
            }
        }
        for (char c = 0; c < TABLE_SIZE; c++) {
            IS_SIGN[c] = SIGNS.indexOf(c) >= 0;
        }
    }

    private LatinCharsets() {
    }

    /** Whether ICU's guess is one of the charsets this class chooses among (or ISO-8859-1/-9, read as Windows). */
    static boolean isLatin(Charset charset) {
        return CANDIDATES.stream().anyMatch(candidate -> isoName(candidate).equals(charset.name())
                || candidate.equals(charset));
    }

    /** A candidate and how well its decoding reads (see {@link #plausibility}). */
    record Choice(Charset charset, long score) {
    }

    /** Each candidate's decoding of {@code sample}, scored by {@link #plausibility}, in the order of the candidates. */
    static List<Choice> readings(byte[] sample) {
        List<Choice> readings = new ArrayList<>(CANDIDATES.size());
        for (Charset candidate : CANDIDATES) {
            readings.add(new Choice(candidate, plausibility(new String(sample, candidate))));
        }
        return readings;
    }

    /**
     * The reading that reads most like one language, or null when none reads like any (then the bytes are not Latin
     * text). Of readings that score the same, the one ICU is most confident of wins, then the first candidate
     * (windows-1252); so the winner's score does not depend on ICU, which a caller may ask only afterwards.
     *
     * @param icuConfidence ICU's confidence (0–100) by the charset names it reports; ISO-8859-1 and ISO-8859-9 count
     *     for windows-1252 and windows-1254
     */
    static Choice mostPlausible(List<Choice> readings, Map<String, Integer> icuConfidence) {
        Choice best = null;
        int bestConfidence = 0;
        for (Choice reading : readings) {
            Charset candidate = reading.charset();
            long score = reading.score();
            int confidence = Math.max(icuConfidence.getOrDefault(candidate.name(), 0),
                    icuConfidence.getOrDefault(isoName(candidate), 0));
            if (score > 0 && (best == null || score > best.score()
                    || (score == best.score() && confidence > bestConfidence))) {
                best = reading;
                bestConfidence = confidence;
            }
        }
        return best;
    }

    /** The ISO charset ICU reports for a Windows candidate when the bytes hold none of 0x80–0x9F. */
    private static String isoName(Charset candidate) {
        return switch (candidate.name()) {
            case "windows-1252" -> "ISO-8859-1";
            case "windows-1254" -> "ISO-8859-9";
            default -> candidate.name();
        };
    }

    /**
     * How well {@code text} reads as one language, over its non-ASCII characters: a letter next to another letter
     * scores +1 when that language's alphabet has it and -2 when not; a letter standing alone ("à", or "Ł" for "£")
     * tells nothing and scores 0. A Western sign scores 0, but -2 between two letters (a letter turned into a sign, as
     * in {@code Pøíli¹né}); a control code or a byte the charset leaves unmapped -5. The best language's score; above
     * 0 means plausible.
     */
    static long plausibility(String text) {
        long signs = 0;
        // Letters next to letters, counted by character; each language's score is summed from the counts at the end,
        // instead of looking every letter up in every alphabet (a 64 KiB GBK sample is 40,000 such letters).
        int[] counts = new int[TABLE_SIZE];
        StringBuilder beyondTable = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                continue;
            }
            boolean letterBefore = i > 0 && Character.isLetter(text.charAt(i - 1));
            boolean letterAfter = i + 1 < text.length() && Character.isLetter(text.charAt(i + 1));
            if (isSign(c)) {
                if (letterBefore && letterAfter && WORD_JOINERS.indexOf(c) < 0) {
                    signs -= 2;
                }
            } else if (Character.isLetter(c)) {
                if (letterBefore || letterAfter) {
                    if (c < TABLE_SIZE) {
                        counts[c]++;
                    } else {
                        beyondTable.append(c);
                    }
                }
            } else {
                signs -= 5;
            }
        }
        long best = Long.MIN_VALUE;
        for (int l = 0; l < ALPHABET_LIST.size(); l++) {
            boolean[] inAlphabet = IN_ALPHABET[l];
            long score = 0;
            for (int c = 0x80; c < TABLE_SIZE; c++) {
                score += counts[c] * (inAlphabet[c] ? 1L : -2L);
            }
            for (int i = 0; i < beyondTable.length(); i++) {
                score += inAlphabet(ALPHABET_LIST.get(l), beyondTable.charAt(i)) ? 1 : -2;
            }
            best = Math.max(best, score);
        }
        return signs + best;
    }

    /** Whether the alphabet has the letter, in either case. */
    private static boolean inAlphabet(String alphabet, char c) {
        return alphabet.indexOf(Character.toLowerCase(c)) >= 0 || alphabet.indexOf(c) >= 0;
    }

    private static boolean isSign(char c) {
        return c < TABLE_SIZE ? IS_SIGN[c] : SIGNS.indexOf(c) >= 0;
    }
}
