package io.yinghuo.model.tokenizer;

/** Text to token ids and back, as the model was trained (SentencePiece for LLaMA). */
public interface Tokenizer {

    int vocabSize();

    int bosId();

    int eosId();

    /** Exactly {@code spm_encode --output_format=id}: dummy prefix, no BOS, special strings are plain text. */
    int[] encode(String text);

    /**
     * A prompt as the HF slow LlamaTokenizer (legacy=True) encodes it: split on special-token strings
     * ({@code <s>}, {@code </s>}, {@code <unk>}, ...) mapped to their ids, each text chunk spm-encoded alone,
     * BOS in front.
     */
    int[] encodePrompt(String text);

    /** spm_decode: control tokens vanish, byte runs become UTF-8, the leading dummy-prefix space is dropped. */
    String decode(int[] ids);

    /** The piece text of one id (with "▁", as in the vocabulary). */
    String piece(int id);

    /** A decoder for generated tokens that only ever emits whole UTF-8 characters. */
    StreamingDecoder streamingDecoder();
}
