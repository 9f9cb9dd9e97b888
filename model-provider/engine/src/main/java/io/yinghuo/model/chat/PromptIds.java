package io.yinghuo.model.chat;

import io.yinghuo.model.tokenizer.Tokenizer;

import java.util.Arrays;

/**
 * Builds prompt ids piece by piece: control tokens (BOS, EOS) are placed as ids by the template, text goes through
 * plain SentencePiece encoding ({@link Tokenizer#encode}). Because text is never scanned for special-token strings,
 * nothing inside a message can become a control id; and because the template cuts text only where the reference string
 * has a special token, the ids equal the Hugging Face slow tokenizer's for ordinary content (transformers
 * LlamaTokenizer with legacy=True spm-encodes every chunk between special tokens alone, with its own dummy prefix).
 */
final class PromptIds {

    private final Tokenizer tokenizer;
    private int[] ids = new int[256];
    private int size;

    PromptIds(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    PromptIds bos() {
        return control(tokenizer.bosId());
    }

    PromptIds eos() {
        return control(tokenizer.eosId());
    }

    /** Encodes one chunk of text alone (dummy prefix included); an empty chunk adds nothing, as in spm. */
    PromptIds text(String chunk) {
        if (!chunk.isEmpty()) {
            append(tokenizer.encode(chunk));
        }
        return this;
    }

    int[] toArray() {
        return Arrays.copyOf(ids, size);
    }

    private PromptIds control(int id) {
        ensure(1);
        ids[size++] = id;
        return this;
    }

    private void append(int[] more) {
        ensure(more.length);
        System.arraycopy(more, 0, ids, size, more.length);
        size += more.length;
    }

    private void ensure(int extra) {
        if (size + extra > ids.length) {
            ids = Arrays.copyOf(ids, Math.max(ids.length * 2, size + extra));
        }
    }
}
