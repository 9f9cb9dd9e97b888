package io.yinghuo.model.generate;

import io.yinghuo.model.tokenizer.StreamingDecoder;

import java.util.List;

/**
 * Turns generated ids into the answer text as it may be shown: whole UTF-8 characters only (the tokenizer's
 * {@link StreamingDecoder}), the leading space dropped, cut at the first stop string.
 *
 * <p>Leading space: the first answer token usually carries SentencePiece's "▁" word-start mark, which the streaming
 * decoder renders as a space because it decodes the answer as a continuation of the prompt. Hugging Face's streamers
 * decode the generated span on its own, where spm drops that first "▁" (sentencepiece's {@code Decode} removes the
 * dummy prefix of the first piece), so answers do not start with a space; we drop exactly one leading space of the
 * answer to match. A UI that wants to glue the answer onto the prompt text (as Chinese-Alpaca-2's gradio demo does) can
 * add it back.
 */
final class AnswerText {

    private final StreamingDecoder decoder;
    private final StopStringMatcher stopMatcher;
    private final StringBuilder shown = new StringBuilder();
    private boolean started;

    AnswerText(StreamingDecoder decoder, List<String> stopStrings) {
        this.decoder = decoder;
        this.stopMatcher = new StopStringMatcher(stopStrings);
    }

    /** Feeds one generated id; returns the text that became showable (possibly empty). */
    String accept(int id) {
        return release(decoder.accept(id), false);
    }

    /** Ends the answer: flushes held-back bytes and text; returns the rest that may be shown. */
    String finish() {
        return release(decoder.flush(), true);
    }

    /** True once a stop string has been seen; nothing more will be shown. */
    boolean stopped() {
        return stopMatcher.matched() != null;
    }

    /** The stop string that ended the answer, or null. */
    String matchedStop() {
        return stopMatcher.matched();
    }

    /** Everything shown so far. */
    String text() {
        return shown.toString();
    }

    private String release(String decoded, boolean last) {
        if (!started && !decoded.isEmpty()) {
            started = true;
            if (decoded.charAt(0) == ' ') {
                decoded = decoded.substring(1);
            }
        }
        String out = stopMatcher.accept(decoded);
        if (last) {
            out += stopMatcher.finish();
        }
        shown.append(out);
        return out;
    }
}
