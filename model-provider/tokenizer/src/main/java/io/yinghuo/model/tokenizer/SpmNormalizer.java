package io.yinghuo.model.tokenizer;

import io.yinghuo.model.tokenizer.SentencePieceModel.NormalizerSpec;

/**
 * sentencepiece's normalizer (src/normalizer.cc {@code Normalizer::Normalize}, v0.1.97) for the identity rule set:
 * characters are kept as they are, ' ' (U+0020 only) becomes "▁" when escape_whitespaces is set, a "▁" is put in
 * front when add_dummy_prefix is set, and with remove_extra_whitespaces leading and trailing spaces are dropped and
 * runs of spaces collapse to one. LLaMA's tokenizer.model sets add_dummy_prefix and leaves
 * remove_extra_whitespaces off, so its spaces are all kept.
 */
final class SpmNormalizer {
    private final boolean addDummyPrefix;
    private final boolean removeExtraWhitespaces;
    private final char space;
    private final UserDefinedMatcher userDefined;

    SpmNormalizer(NormalizerSpec spec, UserDefinedMatcher userDefined) {
        this.addDummyPrefix = spec.addDummyPrefix();
        this.removeExtraWhitespaces = spec.removeExtraWhitespaces();
        this.space = spec.escapeWhitespaces() ? PieceVocabulary.SPACE_SYMBOL : ' ';
        this.userDefined = userDefined;
    }

    /**
     * Normalizes {@code text}; returns the number of chars written to the front of the returned buffer (0 when
     * nothing is left, e.g. for ""). A lone UTF-16 surrogate, which has no UTF-8 form, is read as U+FFFD — what spm
     * makes of bytes that are not valid UTF-8.
     */
    char[] normalize(CharSequence text, int[] lengthOut) {
        int end = text.length();
        int i = 0;
        if (removeExtraWhitespaces) {
            while (i < end && text.charAt(i) == ' ') {
                i++;
            }
        }
        if (i == end) {
            lengthOut[0] = 0;
            return new char[0];
        }
        char[] out = new char[end - i + 1];
        int n = 0;
        if (addDummyPrefix) {
            out[n++] = space;
        }
        boolean previousWasSpace = removeExtraWhitespaces;
        while (i < end) {
            // One "prefix" as spm takes it: a user-defined symbol or one character.
            int length = userDefined.isEmpty() ? 0 : userDefined.match(text, i, end);
            if (length == 0) {
                char c = text.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1))) {
                    out[n++] = c;
                    out[n++] = text.charAt(i + 1);
                    i += 2;
                    previousWasSpace = false;
                } else if (c == ' ') {
                    if (!previousWasSpace) {
                        out[n++] = space;
                    }
                    i++;
                    previousWasSpace = true;
                } else {
                    out[n++] = Character.isSurrogate(c) ? SpmUtf8.REPLACEMENT : c;
                    i++;
                    previousWasSpace = false;
                }
            } else {
                int from = i;
                int to = i + length;
                i = to;
                if (previousWasSpace) {
                    while (from < to && text.charAt(from) == ' ') {
                        from++;
                    }
                }
                if (from < to) {
                    for (int k = from; k < to; k++) {
                        char c = text.charAt(k);
                        out[n++] = c == ' ' ? space : c;
                    }
                    previousWasSpace = text.charAt(to - 1) == ' ';
                }
            }
            if (!removeExtraWhitespaces) {
                previousWasSpace = false;
            }
        }
        if (removeExtraWhitespaces) {
            while (n > 0 && out[n - 1] == space) {
                n--;
            }
        }
        lengthOut[0] = n;
        return out;
    }
}
