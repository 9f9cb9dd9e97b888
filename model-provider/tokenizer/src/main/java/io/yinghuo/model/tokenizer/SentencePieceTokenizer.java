package io.yinghuo.model.tokenizer;

import io.yinghuo.model.checkpoint.ModelLoadException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The LLaMA tokenizer: a BPE SentencePiece {@code tokenizer.model}, reimplemented in Java to give exactly what
 * sentencepiece v0.1.97 gives ({@code spm_encode}/{@code spm_decode}), plus the prompt encoding of the Hugging Face
 * slow {@code LlamaTokenizer} with {@code legacy=True} (transformers models/llama/tokenization_llama.py), which is
 * how Chinese-Alpaca-2 and Firefly build their prompts: their scripts load the slow tokenizer.
 *
 * <p>Supported: BPE models with the identity normalizer (add_dummy_prefix, remove_extra_whitespaces and
 * escape_whitespaces as the file says), byte fallback, NORMAL/USER_DEFINED/UNUSED/CONTROL/UNKNOWN/BYTE pieces.
 * Refused with a {@link ModelLoadException}: unigram/word/char models, compiled normalization rules (NFKC),
 * denormalizers and treat_whitespace_as_suffix.
 *
 * <p>Immutable and thread-safe; streaming decoders are per use.
 */
public final class SentencePieceTokenizer implements Tokenizer {
    /** The file name inside a model directory. */
    public static final String MODEL_FILE_NAME = "tokenizer.model";

    private final PieceVocabulary vocab;
    private final BpeEncoder encoder;
    private final PromptSpecialTokens promptTokens;

    private SentencePieceTokenizer(PieceVocabulary vocab, PromptSpecialTokens promptTokens) {
        this.vocab = vocab;
        this.encoder = new BpeEncoder(vocab);
        this.promptTokens = promptTokens;
    }

    /**
     * Loads {@code path}: a {@code tokenizer.model} file, or a model directory holding one. The HF files beside it
     * ({@code tokenizer_config.json}, {@code special_tokens_map.json}, {@code added_tokens.json}) are read when
     * present, for {@link #encodePrompt}.
     *
     * @throws ModelLoadException when the file is missing, corrupt or a kind of model we do not support
     */
    public static SentencePieceTokenizer load(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve(MODEL_FILE_NAME) : path;
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException(Files.isDirectory(path)
                    ? "no " + MODEL_FILE_NAME + " in model directory " + path
                    : "tokenizer model not found: " + path);
        }
        PieceVocabulary vocab = new PieceVocabulary(SentencePieceModel.read(file));
        Path directory = file.toAbsolutePath().getParent();
        return new SentencePieceTokenizer(vocab, PromptSpecialTokens.load(directory, vocab));
    }

    /** A tokenizer for an already parsed model, without HF side files (special strings = CONTROL/UNKNOWN pieces). */
    public static SentencePieceTokenizer of(SentencePieceModel model) {
        PieceVocabulary vocab = new PieceVocabulary(model);
        return new SentencePieceTokenizer(vocab, PromptSpecialTokens.fromModel(vocab));
    }

    /** Number of pieces in the model (55,296 for Chinese-LLaMA-2). */
    @Override
    public int vocabSize() {
        return vocab.size();
    }

    @Override
    public int bosId() {
        return vocab.bosId;
    }

    @Override
    public int eosId() {
        return vocab.eosId;
    }

    public int unkId() {
        return vocab.unkId;
    }

    @Override
    public int[] encode(String text) {
        IntArray ids = new IntArray(text.length() + 1);
        encoder.encode(text, ids);
        return ids.toArray();
    }

    /**
     * Encodes UTF-8 bytes as {@code spm_encode} does, including input that is not valid UTF-8 (each invalid byte is
     * read as U+FFFD, spm's rule; Java's decoders replace differently).
     */
    public int[] encodeUtf8(byte[] utf8, int offset, int length) {
        return encode(SpmUtf8.decodeText(utf8, offset, length));
    }

    @Override
    public int[] encodePrompt(String text) {
        return promptTokens.encode(text, encoder, vocab.bosId, vocab.eosId);
    }

    /** The strings {@link #encodePrompt} turns into ids, with their ids. */
    public Map<String, Integer> promptSpecialTokens() {
        return promptTokens.ids();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException for an id outside {@code [0, vocabSize())}
     */
    @Override
    public String decode(int[] ids) {
        return PieceDecoder.decode(vocab, ids);
    }

    @Override
    public String piece(int id) {
        checkId(id);
        return vocab.pieces[id];
    }

    public PieceType pieceType(int id) {
        checkId(id);
        return vocab.types[id];
    }

    public float score(int id) {
        checkId(id);
        return vocab.scores[id];
    }

    /** The id of a piece string (exact match, e.g. "▁中国" or "&lt;0x0A&gt;"), or -1 when it is not in the vocabulary. */
    public int pieceId(String piece) {
        int id = vocab.reserved.find(piece);
        return id >= 0 ? id : vocab.mergeable.find(piece);
    }

    /**
     * A streaming decoder for generated tokens that continues the prompt: the generated text keeps every space, so
     * an answer whose first piece is "▁你" streams as " 你" (the concatenation equals {@code decode} of
     * {@code [anything non-empty] + ids} minus the decoded prefix). Use {@link #streamingDecoder(boolean)
     * streamingDecoder(true)} to drop that leading dummy space as HF's TextIteratorStreamer does.
     */
    @Override
    public StreamingDecoder streamingDecoder() {
        return streamingDecoder(false);
    }

    /**
     * @param dropLeadingSpace true: the outputs concatenate to exactly {@link #decode} of the same ids (the dummy
     *                         "▁" of the first non-empty piece is dropped); false: a continuation, every "▁" is a space
     */
    public StreamingDecoder streamingDecoder(boolean dropLeadingSpace) {
        return new PieceDecoder(vocab, dropLeadingSpace);
    }

    private void checkId(int id) {
        if (id < 0 || id >= vocab.size()) {
            throw new IllegalArgumentException("token id " + id + " is out of range [0, " + vocab.size()
                    + ") for tokenizer " + vocab.source);
        }
    }
}
