package io.yinghuo.model.tokenizer;

/**
 * Ids to text as {@code spm_decode} v0.1.97 does (sentencepiece src/sentencepiece_processor.cc {@code Decode}),
 * usable piece by piece:
 * <ul>
 *   <li>CONTROL pieces decode to nothing, the UNKNOWN piece to the unknown surface (" ⁇ ");</li>
 *   <li>"▁" becomes ' ', and the first "▁" of the first non-empty piece is dropped (the dummy prefix), unless this
 *       decoder continues earlier text;</li>
 *   <li>a run of BYTE pieces is decoded as UTF-8, each structurally invalid byte becoming U+FFFD ({@link SpmUtf8}).</li>
 * </ul>
 * For streaming, bytes are held back only while the character they start may still complete validly: whether a byte
 * begins a valid character depends only on the bytes that character needs, so text emitted early never differs from
 * what the whole sequence decodes to, and a returned string never ends inside a character (nor splits a surrogate
 * pair).
 * Not thread-safe: one decoder per generation.
 */
final class PieceDecoder implements StreamingDecoder {
    private final PieceVocabulary vocab;
    private final boolean removeExtraWhitespaces;
    private final StringBuilder out = new StringBuilder();
    private byte[] pending = new byte[8];
    private int pendingCount;
    /** spm's is_bos_ws: a leading "▁" may still be the dummy prefix. Only ever goes from true to false. */
    private boolean expectDummyPrefix;
    /** spm's bos_ws_seen: the previous non-byte piece had its dummy "▁" removed. */
    private boolean dummyPrefixRemoved;
    private boolean emittedText;

    /**
     * @param dropLeadingSpace true for {@code decode()} semantics (the text starts here, its leading dummy "▁" is
     *                         dropped); false to decode a continuation, keeping every space
     */
    PieceDecoder(PieceVocabulary vocab, boolean dropLeadingSpace) {
        this.vocab = vocab;
        this.removeExtraWhitespaces = vocab.normalizer.removeExtraWhitespaces();
        this.expectDummyPrefix = dropLeadingSpace
                && (vocab.normalizer.addDummyPrefix() || vocab.normalizer.removeExtraWhitespaces());
    }

    /** spm_decode of a whole sequence. */
    static String decode(PieceVocabulary vocab, int[] ids) {
        PieceDecoder decoder = new PieceDecoder(vocab, true);
        for (int id : ids) {
            decoder.append(id);
        }
        decoder.decodePendingBytes(true);
        return decoder.out.toString();
    }

    @Override
    public String accept(int id) {
        append(id);
        return take();
    }

    @Override
    public String flush() {
        decodePendingBytes(true);
        return take();
    }

    private void append(int id) {
        if (id < 0 || id >= vocab.size()) {
            throw new IllegalArgumentException("token id " + id + " is out of range [0, " + vocab.size()
                    + ") for tokenizer " + vocab.source);
        }
        PieceType type = vocab.decodeTypes[id];
        if (type == PieceType.BYTE) {
            if (pendingCount == pending.length) {
                pending = java.util.Arrays.copyOf(pending, pendingCount * 2);
            }
            pending[pendingCount++] = (byte) vocab.decodeBytes[id];
            decodePendingBytes(false);
            return;
        }
        decodePendingBytes(true); // a non-byte piece ends the byte run
        if (dummyPrefixRemoved || emittedText) {
            expectDummyPrefix = false;
        }
        String text;
        boolean removed = false;
        if (type == PieceType.CONTROL) {
            text = "";
        } else if (type == PieceType.UNKNOWN) {
            text = vocab.unkSurface;
        } else {
            text = vocab.surfaces[id];
            if (expectDummyPrefix && vocab.pieces[id].charAt(0) == PieceVocabulary.SPACE_SYMBOL) {
                text = text.substring(1);
                // With remove_extra_whitespaces every leading space goes, so keep expecting one.
                removed = !removeExtraWhitespaces;
            }
        }
        dummyPrefixRemoved = removed;
        if (!text.isEmpty()) {
            out.append(text);
            emittedText = true;
        }
    }

    /**
     * Decodes the held bytes; unless {@code runEnded}, a trailing character that still lacks bytes and may still
     * become valid stays held (with the run ended, its lead byte is invalid and becomes U+FFFD, as in spm).
     */
    private void decodePendingBytes(boolean runEnded) {
        int offset = 0;
        while (offset < pendingCount) {
            int available = pendingCount - offset;
            int needed = SpmUtf8.sequenceLength(pending[offset]);
            if (available < needed && !runEnded && SpmUtf8.canStillBeValid(pending, offset, available)) {
                break;
            }
            int codePoint = SpmUtf8.decodeChar(pending, offset, available);
            if (codePoint == SpmUtf8.INVALID) {
                out.append(SpmUtf8.REPLACEMENT);
                offset++;
            } else {
                out.appendCodePoint(codePoint);
                offset += needed;
            }
            emittedText = true;
        }
        if (offset > 0) {
            System.arraycopy(pending, offset, pending, 0, pendingCount - offset);
            pendingCount -= offset;
        }
    }

    private String take() {
        if (out.length() == 0) {
            return "";
        }
        String text = out.toString();
        out.setLength(0);
        return text;
    }
}
