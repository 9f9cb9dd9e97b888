package io.yinghuo.model.constrain;

import io.yinghuo.model.tokenizer.PieceType;
import io.yinghuo.model.tokenizer.SentencePieceTokenizer;
import io.yinghuo.model.tokenizer.Tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * A tokenizer's vocabulary as the bytes each token adds to the decoded text, in a {@link TokenTrie}. Built once per
 * tokenizer ({@link #of}) and shared: immutable and thread-safe.
 *
 * <p>For SentencePiece (LLaMA): a NORMAL, USER_DEFINED or UNUSED piece adds its text with every "▁" (U+2581, spm's
 * whitespace mark) as a space; a BYTE piece {@code <0xAB>} adds the one raw byte 0xAB; CONTROL and UNKNOWN pieces
 * ({@code <s>}, {@code </s>}, {@code <unk>}) add no text a grammar could match and are never allowed — EOS is
 * allowed separately, only where the grammar's sentence is complete. This is what the project's streaming decoder
 * produces for a continuation, so the bytes a constraint accepts are the bytes of the answer text.
 */
public final class TokenVocabulary {

    private static final Map<SentencePieceTokenizer, TokenVocabulary> CACHE = new WeakHashMap<>();

    private final byte[][] tokenBytes;
    private final int eosId;
    private final TokenTrie trie;
    private volatile StringBodyTokens stringBodyTokens;

    /**
     * @param tokenBytes per token id the bytes it adds to the text, or null for a token never to be generated under
     *                   a constraint; copied
     * @param eosId      the end-of-sequence id, allowed only where the constrained text is complete
     */
    public TokenVocabulary(byte[][] tokenBytes, int eosId) {
        Objects.requireNonNull(tokenBytes, "tokenBytes");
        if (eosId < 0 || eosId >= tokenBytes.length) {
            throw new IllegalArgumentException("eosId " + eosId + " is outside the vocabulary [0, "
                    + tokenBytes.length + ")");
        }
        this.tokenBytes = new byte[tokenBytes.length][];
        for (int id = 0; id < tokenBytes.length; id++) {
            this.tokenBytes[id] = id == eosId || tokenBytes[id] == null ? null : tokenBytes[id].clone();
        }
        this.eosId = eosId;
        this.trie = new TokenTrie(this.tokenBytes);
    }

    /**
     * The vocabulary of a tokenizer (e.g. {@code LlamaModel.tokenizer()}), built on first use and kept as long as
     * the tokenizer lives.
     *
     * @throws IllegalArgumentException for a tokenizer other than {@link SentencePieceTokenizer}: build the byte
     *                                  strings yourself and use the constructor
     */
    public static TokenVocabulary of(Tokenizer tokenizer) {
        if (!(tokenizer instanceof SentencePieceTokenizer sentencePiece)) {
            throw new IllegalArgumentException("no token bytes known for tokenizer " + tokenizer.getClass().getName()
                    + "; construct a TokenVocabulary from byte strings");
        }
        synchronized (CACHE) {
            return CACHE.computeIfAbsent(sentencePiece, TokenVocabulary::build);
        }
    }

    private static TokenVocabulary build(SentencePieceTokenizer tokenizer) {
        byte[][] bytes = new byte[tokenizer.vocabSize()][];
        for (int id = 0; id < bytes.length; id++) {
            bytes[id] = pieceBytes(tokenizer, id);
        }
        return new TokenVocabulary(bytes, tokenizer.eosId());
    }

    private static byte[] pieceBytes(SentencePieceTokenizer tokenizer, int id) {
        String piece = tokenizer.piece(id);
        // A piece listed twice decodes as its first occurrence does (spm's piece-to-id map).
        int canonical = tokenizer.pieceId(piece);
        PieceType type = tokenizer.pieceType(canonical >= 0 ? canonical : id);
        return switch (type) {
            case CONTROL, UNKNOWN -> null;
            case BYTE -> new byte[] {(byte) Integer.parseInt(piece.substring(3, 5), 16)};
            default -> piece.replace('\u2581', ' ').getBytes(StandardCharsets.UTF_8);
        };
    }

    public int size() {
        return tokenBytes.length;
    }

    public int eosId() {
        return eosId;
    }

    /** The bytes token {@code id} adds to the text, or null when it is never allowed; do not modify. */
    byte[] bytes(int id) {
        return tokenBytes[id];
    }

    TokenTrie trie() {
        return trie;
    }

    /** Built on first use (a grammar without strings never needs it); thread-safe. */
    StringBodyTokens stringBodyTokens() {
        StringBodyTokens tokens = stringBodyTokens;
        if (tokens == null) {
            synchronized (this) {
                tokens = stringBodyTokens;
                if (tokens == null) {
                    tokens = new StringBodyTokens(this);
                    stringBodyTokens = tokens;
                }
            }
        }
        return tokens;
    }
}
