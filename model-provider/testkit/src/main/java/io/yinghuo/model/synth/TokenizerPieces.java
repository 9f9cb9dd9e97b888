package io.yinghuo.model.synth;

import io.yinghuo.model.checkpoint.ModelLoadException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Counts the pieces of a SentencePiece {@code tokenizer.model}: the file is a protobuf {@code ModelProto}
 * (sentencepiece src/sentencepiece_model.proto) whose field 1 is the repeated {@code SentencePiece}, so the vocabulary
 * size is the number of top-level field-1 records. Only the wire format is read; the tokenizer package parses the
 * pieces themselves.
 */
final class TokenizerPieces {
    private TokenizerPieces() {
    }

    static int count(Path tokenizerModel) {
        byte[] b;
        try {
            b = Files.readAllBytes(tokenizerModel);
        } catch (IOException e) {
            throw new ModelLoadException(tokenizerModel + ": cannot read: " + e.getMessage(), e);
        }
        int pos = 0;
        int pieces = 0;
        try {
            while (pos < b.length) {
                long[] tag = varint(b, pos);
                pos = (int) tag[1];
                int field = (int) (tag[0] >>> 3);
                int wire = (int) (tag[0] & 7);
                switch (wire) {
                    case 0 -> pos = (int) varint(b, pos)[1];
                    case 1 -> pos += 8;
                    case 2 -> {
                        long[] len = varint(b, pos);
                        if (len[0] < 0 || len[1] + len[0] > b.length) {
                            throw new IndexOutOfBoundsException();
                        }
                        pos = (int) (len[1] + len[0]);
                        if (field == 1) {
                            pieces++;
                        }
                    }
                    case 5 -> pos += 4;
                    default -> throw new IndexOutOfBoundsException();
                }
                if (pos > b.length) {
                    throw new IndexOutOfBoundsException();
                }
            }
        } catch (IndexOutOfBoundsException e) {
            throw new ModelLoadException(tokenizerModel + ": not a SentencePiece model (malformed protobuf at byte "
                    + pos + ")");
        }
        if (pieces == 0) {
            throw new ModelLoadException(tokenizerModel + ": not a SentencePiece model (no pieces)");
        }
        return pieces;
    }

    /** {value, position after it}. */
    private static long[] varint(byte[] b, int pos) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte x = b[pos++];
            value |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                return new long[] {value, pos};
            }
        }
        throw new IndexOutOfBoundsException();
    }
}
