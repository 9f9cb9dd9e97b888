package io.yinghuo.ingest.parse;

import com.ibm.icu.text.CharsetDetector;
import com.ibm.icu.text.CharsetMatch;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Bytes of a text file to a Java string, without mojibake for the encodings Chinese users actually have: UTF-8 (with
 * or without BOM), UTF-16 (BOM, or BOM-less with the zero-byte pattern of mostly-ASCII text), GB18030/GBK/GB2312 and
 * Big5, Shift_JIS and EUC-JP for Japanese, EUC-KR (as Windows code page 949) for Korean. Order: BOM, binary check,
 * strict UTF-8, Korean when its reading has Korean's frequent syllables ({@link KoreanSyllables}), then scoring of
 * GB18030 / Big5 / UTF-16 / lenient UTF-8 decodings of a sample by how much of the result is common hanzi and CJK
 * punctuation (see {@link CommonHanzi}), with the Shift_JIS and EUC-JP decodings scored the same way but their kana
 * counted as text; against the best of them, the single-byte Latin readings (windows-1252, ISO-8859-2, ...) scored
 * by {@link LatinCharsets}. ICU's CharsetDetector is asked only when a Latin reading beats the others (it may name a
 * non-Latin charset such as windows-1251 instead) or when nothing is plausible (then its guess among the remaining
 * legacy encodings stands). Line ends become {@code \n}.
 */
public final class TextDecoding {

    /** The decoded text and what was decided on the way. */
    public record DecodedText(String text, String charset, List<ParseWarning> warnings) {
    }

    private static final int SAMPLE_BYTES = 64 * 1024;
    private static final Charset GB18030 = Charset.forName("GB18030");
    private static final Charset BIG5 = Charset.forName("Big5");
    /**
     * Shift_JIS as Windows writes it (code page 932, with the NEC and IBM extensions such as ① and ㈱): the WHATWG
     * Encoding Standard decodes every Shift_JIS label so (https://encoding.spec.whatwg.org/#shift_jis).
     */
    private static final Charset SHIFT_JIS = Charset.forName("windows-31j");
    /**
     * EUC-JP, the Japanese encoding of Unix mail and older web pages: JIS X 0208 in the same two-byte range as
     * GB2312, kana included at the same places (rows 4 and 5), so its kanji read as other hanzi in GBK and Big5.
     */
    private static final Charset EUC_JP = Charset.forName("EUC-JP");
    /**
     * Korean as Windows writes it (code page 949, "Unified Hangul Code"): EUC-KR plus the 8,822 hangul syllables
     * KS X 1001 lacks; the WHATWG Encoding Standard decodes every EUC-KR label so
     * (https://encoding.spec.whatwg.org/#euc-kr).
     */
    private static final Charset KOREAN = Charset.forName("x-windows-949");

    private TextDecoding() {
    }

    /**
     * Decodes {@code bytes} (not empty) as text.
     *
     * @throws DocumentParseException {@link DocumentParseException.Reason#BINARY} when the bytes are not text
     */
    public static DecodedText decode(String fileName, byte[] bytes) throws DocumentParseException {
        List<ParseWarning> warnings = new ArrayList<>();
        Charset charset;
        int skip = 0;
        if (startsWith(bytes, 0xEF, 0xBB, 0xBF)) {
            charset = StandardCharsets.UTF_8;
            skip = 3;
        } else if (startsWith(bytes, 0xFF, 0xFE)) {
            charset = StandardCharsets.UTF_16LE;
            skip = 2;
        } else if (startsWith(bytes, 0xFE, 0xFF)) {
            charset = StandardCharsets.UTF_16BE;
            skip = 2;
        } else {
            String magic = ContentSniffer.binaryKind(bytes);
            if (magic != null) {
                throw binary(fileName, magic);
            }
            charset = detectWithoutBom(fileName, bytes);
        }
        Decoded decoded = decodeReplacing(charset, bytes, skip, bytes.length - skip);
        String text = decoded.text;
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        if (looksBinary(text)) {
            throw binary(fileName, null);
        }
        if (decoded.replaced > 0) {
            warnings.add(ParseWarning.invalidBytes(decoded.replaced, charset.name()));
        }
        return new DecodedText(normalizeNewlines(text), charset.name(), warnings);
    }

    /** {@code \r\n} and lone {@code \r} to {@code \n}. */
    public static String normalizeNewlines(String text) {
        if (text.indexOf('\r') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r') {
                out.append('\n');
                if (i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static Charset detectWithoutBom(String fileName, byte[] bytes) throws DocumentParseException {
        int sampleLength = Math.min(bytes.length, SAMPLE_BYTES);
        if (indexOfZero(bytes, sampleLength) >= 0) {
            Charset utf16 = utf16ByZeroPattern(bytes, sampleLength);
            if (utf16 != null) {
                return utf16;
            }
            // Chinese UTF-16 with a little ASCII has too few zero bytes for the pattern: decode and judge.
            for (Charset candidate : List.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
                String decoded = decodeReplacing(candidate, bytes, 0, sampleLength & ~1).text;
                if (!looksBinary(decoded) && decoded.indexOf('\uFFFD') < 0 && score(decoded) > decoded.length() / 2) {
                    return candidate;
                }
            }
            throw binary(fileName, null);
        }
        if (isStrictUtf8(bytes)) {
            return StandardCharsets.UTF_8;
        }
        List<Charset> candidates = new ArrayList<>(List.of(GB18030, BIG5, StandardCharsets.UTF_8));
        if (bytes.length % 2 == 0) {
            candidates.add(StandardCharsets.UTF_16LE);
            candidates.add(StandardCharsets.UTF_16BE);
        }
        // A sample may end inside a character: that is not the candidate's fault.
        int length = sampleLength == bytes.length ? sampleLength : sampleLength - 4;
        // Korean read as GB18030 is a text of common hanzi and would score as Chinese: it is told by its syllables.
        if (KoreanSyllables.isKorean(decodeReplacing(KOREAN, bytes, 0, length).text)) {
            return KOREAN;
        }
        Charset best = null;
        long bestScore = Long.MIN_VALUE;
        String gb18030 = null;
        for (Charset candidate : candidates) {
            String decoded = decodeReplacing(candidate, bytes, 0, length).text;
            if (candidate == GB18030) {
                gb18030 = decoded;
            }
            long score = score(decoded);
            if (score > bestScore) {
                best = candidate;
                bestScore = score;
            }
        }
        // Japanese kana in Shift_JIS are rare hanzi in GBK, so a few common hanzi among them made the GB18030
        // reading plausible; the Shift_JIS and EUC-JP readings, scored with their kana as text, compete with the
        // Chinese ones. A Chinese text read as EUC-JP has kanji in place of its hanzi, many of them rare in Chinese,
        // and no kana; a Japanese one read as GB18030 or Big5 has its kana scored as noise.
        for (Charset japaneseCharset : List.of(SHIFT_JIS, EUC_JP)) {
            long japanese = score(decodeReplacing(japaneseCharset, bytes, 0, length).text, true);
            if (japanese > bestScore) {
                best = japaneseCharset;
                bestScore = japanese;
            }
        }
        byte[] sample = bytes.length > SAMPLE_BYTES ? java.util.Arrays.copyOf(bytes, SAMPLE_BYTES) : bytes;
        List<LatinCharsets.Choice> latinReadings = LatinCharsets.readings(sample);
        LatinCharsets.Choice bestLatin = LatinCharsets.mostPlausible(latinReadings, Map.of());
        boolean latinCouldWin = bestLatin != null && bestLatin.score() > bestScore;
        if (bestScore > 0 && !latinCouldWin) {
            // ICU's detector is asked only where its answer could change the decision: run on every GBK file, it was
            // about two thirds of the time their detection took (BENCHMARKS.md, "Ingestion").
            return best;
        }
        if (bestScore <= 0 && onlyHanziApartFromLatinLetters(gb18030)) {
            return GB18030;
        }
        CharsetMatch[] matches = icuMatches(sample);
        Charset icu = icuGuess(matches);
        if (latinCouldWin && (icu == null || LatinCharsets.isLatin(icu))) {
            // Western text can pass for rare hanzi in GB18030 (ü and the letter after it are one double-byte
            // character there), so a Latin reading that scores higher than the Chinese one wins; ICU's confidence
            // only breaks ties between Latin readings that score the same.
            return LatinCharsets.mostPlausible(latinReadings, confidences(matches)).charset();
        }
        if (bestScore > 0) {
            return best;
        }
        if (icu == null) {
            // Nothing reads as Chinese or as a Latin language, and nothing else fits well: random bytes, not text.
            throw binary(fileName, null);
        }
        return icu;
    }

    /**
     * Whether a reading that is not plausibly Chinese by {@link #score} (no common hanzi) is still clean Chinese: a
     * list of names in rare hanzi. Every non-ASCII character is a hanzi or CJK punctuation, there is at least one
     * hanzi, no control code, and no hanzi touches a Latin letter. A Western text misread as GB18030 fails the last
     * test: its accented letter and the ASCII letter after it make one double-byte character inside a word
     * ("München" has "ün" as one), and where the accented letter ends a word the space after it is no valid second
     * byte. Random bytes fail on control codes or on the symbols, kana and private-use characters that GB18030
     * holds beside its hanzi.
     */
    static boolean onlyHanziApartFromLatinLetters(String text) {
        boolean hanzi = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                if (isControl(c)) {
                    return false;
                }
            } else if (isHanzi(c)) {
                if ((i > 0 && isAsciiLetter(text.charAt(i - 1)))
                        || (i + 1 < text.length() && isAsciiLetter(text.charAt(i + 1)))) {
                    return false;
                }
                hanzi = true;
            } else if (!isCjkPunctuation(c)) {
                return false;
            }
        }
        return hanzi;
    }

    private static boolean isHanzi(char c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF);
    }

    /** Hiragana and katakana letters (U+3041–U+3096, U+30A1–U+30FA), not the marks around them. */
    private static boolean isKanaLetter(char c) {
        return (c >= 0x3041 && c <= 0x3096) || (c >= 0x30A1 && c <= 0x30FA);
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** CJK symbols and punctuation, full-width forms, general punctuation (dashes, quotes, ellipsis). */
    private static boolean isCjkPunctuation(char c) {
        return (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF5E) || (c >= 0x2010 && c <= 0x2027);
    }

    /** C0 controls other than the layout ones text files use: tab, newline, carriage return, form feed, escape. */
    private static boolean isControl(char c) {
        return c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1B;
    }

    static long score(String text) {
        return score(text, false);
    }

    /**
     * How Chinese the text looks: common hanzi +2, CJK punctuation +1, ASCII and rare hanzi 0, replacement characters
     * and controls strongly negative, everything a wrong double-byte decoding produces (kana, Greek, box drawing,
     * private use, CJK compatibility characters, Latin-1 letters) negative. With {@code kanaAreText}, for a Japanese
     * reading, hiragana and katakana letters count as common characters (+2) instead, and the kana block's marks 0.
     */
    static long score(String text, boolean kanaAreText) {
        long score = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                if (isControl(c)) {
                    score -= 3;
                }
            } else if (c == '\uFFFD') {
                score -= 5;
            } else if (CommonHanzi.isCommon(c) || (kanaAreText && isKanaLetter(c))) {
                score += 2;
            } else if (kanaAreText && c >= 0x3040 && c <= 0x30FF) {
                // the kana block's marks (゛ ー ・ ヽ): Japanese text uses them, but they are also where the
                // Japanese reading of GBK punctuation lands (～ 〖 ˇ 〕), so they speak for neither reading
            } else if (c >= 0x4E00 && c <= 0x9FFF) {
                // rare but real hanzi: neutral
            } else if (isCjkPunctuation(c)) {
                score += 1;
            } else {
                score -= 2;
            }
        }
        return score;
    }

    private static Charset utf16ByZeroPattern(byte[] bytes, int length) {
        int evenZeros = 0;
        int oddZeros = 0;
        for (int i = 0; i + 1 < length; i += 2) {
            if (bytes[i] == 0) {
                evenZeros++;
            }
            if (bytes[i + 1] == 0) {
                oddZeros++;
            }
        }
        int pairs = Math.max(1, length / 2);
        if (oddZeros > pairs * 0.3 && evenZeros < pairs * 0.05) {
            return StandardCharsets.UTF_16LE;
        }
        if (evenZeros > pairs * 0.3 && oddZeros < pairs * 0.05) {
            return StandardCharsets.UTF_16BE;
        }
        return null;
    }

    private static CharsetMatch[] icuMatches(byte[] sample) {
        CharsetDetector detector = new CharsetDetector();
        detector.setText(sample);
        return detector.detectAll();
    }

    /** ICU's best match, when it is confident enough and Java knows the charset. */
    private static Charset icuGuess(CharsetMatch[] matches) {
        if (matches.length == 0 || matches[0].getConfidence() < 20) {
            return null;
        }
        try {
            return Charset.forName(matches[0].getName());
        } catch (IllegalArgumentException unsupported) {
            return null;
        }
    }

    private static Map<String, Integer> confidences(CharsetMatch[] matches) {
        Map<String, Integer> confidence = new HashMap<>();
        for (CharsetMatch match : matches) {
            confidence.merge(match.getName(), match.getConfidence(), Math::max);
        }
        return confidence;
    }

    /** Strict UTF-8, except that the file may end inside a character (truncated download). */
    private static boolean isStrictUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        int length = bytes.length;
        int tail = 0;
        // Drop an incomplete trailing sequence: up to 3 bytes after the last lead byte.
        for (int i = length - 1; i >= 0 && i >= length - 4; i--) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                break;
            }
            if (b >= 0xC0) {
                int need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
                if (length - i < need) {
                    tail = length - i;
                }
                break;
            }
        }
        try {
            decoder.decode(ByteBuffer.wrap(bytes, 0, length - tail));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private record Decoded(String text, int replaced) {
    }

    private static Decoded decodeReplacing(Charset charset, byte[] bytes, int offset, int length) {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)
                .replaceWith("\uFFFD");
        CharBuffer out;
        try {
            out = decoder.decode(ByteBuffer.wrap(bytes, offset, Math.max(0, length)));
        } catch (CharacterCodingException impossible) {
            throw new IllegalStateException(impossible);
        }
        String text = out.toString();
        int replaced = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\uFFFD') {
                replaced++;
            }
        }
        return new Decoded(text, replaced);
    }

    /**
     * Binary when more than 2 % (plus a little slack for short files) of the characters are C0 controls other than
     * tab, newline, carriage return, form feed and escape (ANSI colours in logs), or replacement characters.
     */
    static boolean looksBinary(String text) {
        int bad = 0;
        int scanned = Math.min(text.length(), 1 << 20);
        for (int i = 0; i < scanned; i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1B) || c == 0x7F
                    || c == '\uFFFD') {
                bad++;
            }
        }
        return bad > 2 + scanned * 0.02;
    }

    private static DocumentParseException binary(String fileName, String kind) {
        return new DocumentParseException(fileName, DocumentParseException.Reason.BINARY,
                kind == null ? "looks like binary data, not text"
                        : "looks like binary data (" + kind + "), not text");
    }

    private static int indexOfZero(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
