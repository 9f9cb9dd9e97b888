package io.yinghuo.cli;

import io.yinghuo.model.checkpoint.ModelLoadException;
import io.yinghuo.model.tokenizer.SentencePieceTokenizer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * {@code yinghuo tokenize}: a drop-in for {@code spm_encode --output_format=id} (sentencepiece 0.1.97), to check the
 * Java tokenizer against spm and to count tokens. Each input line gives one output line of ids.
 */
@Command(name = "tokenize",
        mixinStandardHelpOptions = true,
        description = {
            "Encodes each line of standard input (UTF-8) to SentencePiece token ids, one output line of"
                    + " space-separated ids per input line, exactly as `spm_encode --output_format=id` does:"
                    + " no BOS/EOS, \"<s>\" in the text is plain text, an empty line gives an empty line.",
            "Lines end at \\n only; a \\r stays part of the line (spm reads lines with std::getline)."})
public final class TokenizeCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--tokenizer", paramLabel = "FILE", description = "A SentencePiece tokenizer.model file.")
        Path tokenizerFile;

        @Option(names = "--model", paramLabel = "DIR", description = "A model directory holding tokenizer.model.")
        Path modelDirectory;
    }

    @Override
    public Integer call() throws IOException {
        Path path = source.tokenizerFile;
        if (path == null) {
            if (!Files.isDirectory(source.modelDirectory)) {
                throw new ModelLoadException("model directory not found: " + source.modelDirectory);
            }
            path = source.modelDirectory.resolve(SentencePieceTokenizer.MODEL_FILE_NAME);
        }
        SentencePieceTokenizer tokenizer = SentencePieceTokenizer.load(path);
        tokenizeLines(tokenizer, System.in, System.out);
        return 0;
    }

    /**
     * Streams {@code in} to {@code out} line by line. Output is buffered, and flushed whenever reading would block,
     * so an interactive pipe gets each answer as soon as its line is in. {@code out} is flushed, not closed.
     */
    static void tokenizeLines(SentencePieceTokenizer tokenizer, InputStream in, OutputStream out) throws IOException {
        BufferedOutputStream buffered = new BufferedOutputStream(out, 1 << 16);
        byte[] chunk = new byte[1 << 16];
        byte[] line = new byte[1 << 10];
        int lineLength = 0;
        while (true) {
            if (in.available() <= 0) {
                buffered.flush();
            }
            int read = in.read(chunk);
            if (read < 0) {
                break;
            }
            int start = 0;
            for (int i = 0; i < read; i++) {
                if (chunk[i] != '\n') {
                    continue;
                }
                if (lineLength == 0) {
                    writeIds(tokenizer.encodeUtf8(chunk, start, i - start), buffered);
                } else {
                    line = append(line, lineLength, chunk, start, i - start);
                    lineLength += i - start;
                    writeIds(tokenizer.encodeUtf8(line, 0, lineLength), buffered);
                    lineLength = 0;
                }
                start = i + 1;
            }
            line = append(line, lineLength, chunk, start, read - start);
            lineLength += read - start;
        }
        if (lineLength > 0) { // a last line without "\n" still counts; an empty one does not (std::getline)
            writeIds(tokenizer.encodeUtf8(line, 0, lineLength), buffered);
        }
        buffered.flush();
    }

    private static byte[] append(byte[] line, int lineLength, byte[] source, int from, int count) {
        if (lineLength + count > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + count));
        }
        System.arraycopy(source, from, line, lineLength, count);
        return line;
    }

    private static void writeIds(int[] ids, OutputStream out) throws IOException {
        StringBuilder text = new StringBuilder(ids.length * 6 + 1);
        for (int i = 0; i < ids.length; i++) {
            if (i > 0) {
                text.append(' ');
            }
            text.append(ids[i]);
        }
        text.append('\n');
        out.write(text.toString().getBytes(StandardCharsets.US_ASCII));
    }
}
