package io.yinghuo.model.generate;

import io.yinghuo.model.tokenizer.StreamingDecoder;
import io.yinghuo.model.tokenizer.Tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * A LLaMA-shaped toy vocabulary: 0 unk, 1 BOS, 2 EOS, 3..258 the bytes 0x00..0xFF, then a few word pieces. Its
 * streaming decoder keeps byte tokens until their UTF-8 sequence is complete, like the real one.
 */
final class FakeTokenizer implements Tokenizer {

    static final int BOS = 1;
    static final int EOS = 2;
    static final List<String> PIECES = List.of("▁Hello", "▁world", "!", "▁", "ST", "OP", "▁你好", "x", "y", "S");
    static final int HELLO = 259;
    static final int WORLD = 260;
    static final int BANG = 261;
    static final int SPACE = 262;
    static final int ST = 263;
    static final int OP = 264;
    static final int NIHAO = 265;
    static final int X = 266;
    static final int Y = 267;
    static final int S = 268;
    static final int VOCAB = 259 + PIECES.size();

    private final Function<String, int[]> encoder;

    FakeTokenizer() {
        this(text -> {
            throw new UnsupportedOperationException("encode is not scripted in this test");
        });
    }

    FakeTokenizer(Function<String, int[]> encoder) {
        this.encoder = encoder;
    }

    static int byteToken(int b) {
        return 3 + (b & 0xFF);
    }

    /** The byte tokens of a string's UTF-8 encoding. */
    static int[] byteTokens(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = byteToken(bytes[i]);
        }
        return ids;
    }

    @Override
    public int vocabSize() {
        return VOCAB;
    }

    @Override
    public int bosId() {
        return BOS;
    }

    @Override
    public int eosId() {
        return EOS;
    }

    @Override
    public int[] encode(String text) {
        return encoder.apply(text);
    }

    @Override
    public int[] encodePrompt(String text) {
        int[] body = encode(text);
        int[] ids = new int[body.length + 1];
        ids[0] = BOS;
        System.arraycopy(body, 0, ids, 1, body.length);
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        StreamingDecoder decoder = streamingDecoder();
        StringBuilder text = new StringBuilder();
        for (int id : ids) {
            text.append(decoder.accept(id));
        }
        text.append(decoder.flush());
        return text.length() > 0 && text.charAt(0) == ' ' ? text.substring(1) : text.toString();
    }

    @Override
    public String piece(int id) {
        if (id == 0) {
            return "<unk>";
        }
        if (id == BOS) {
            return "<s>";
        }
        if (id == EOS) {
            return "</s>";
        }
        if (id < 259) {
            return String.format("<0x%02X>", id - 3);
        }
        return PIECES.get(id - 259);
    }

    @Override
    public StreamingDecoder streamingDecoder() {
        return new StreamingDecoder() {
            private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
            private int expected;

            @Override
            public String accept(int id) {
                if (id >= 3 && id < 259) {
                    int b = id - 3;
                    if (pending.size() == 0) {
                        expected = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
                    }
                    pending.write(b);
                    return pending.size() == expected ? drain() : "";
                }
                String held = flush();
                if (id < 3) {
                    return held;
                }
                return held + PIECES.get(id - 259).replace('▁', ' ');
            }

            @Override
            public String flush() {
                return pending.size() == 0 ? "" : drain();
            }

            private String drain() {
                String s = pending.toString(StandardCharsets.UTF_8);
                pending.reset();
                return s;
            }
        };
    }
}
