package io.yinghuo.cli;

import io.yinghuo.model.synth.SentencePieceModelWriter;
import io.yinghuo.model.tokenizer.SentencePieceTokenizer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code yinghuo tokenize} through {@link Main#run}, with System.in/out/err redirected. */
class TokenizeCommandTest {
    @TempDir
    static Path dir;
    private static Path modelFile;
    private static SentencePieceTokenizer tokenizer;

    @BeforeAll
    static void writeModel() {
        modelFile = SentencePieceModelWriter.small().write(dir.resolve("model/tokenizer.model"));
        tokenizer = SentencePieceTokenizer.load(modelFile);
    }

    private static String idsLine(String text) {
        return Arrays.stream(tokenizer.encode(text)).mapToObj(Integer::toString).collect(Collectors.joining(" "));
    }

    @Test
    void eachLineBecomesOneLineOfIds() {
        CliRun.Result r = CliRun.run("hello world\n\n中国人民银行\n  x  \nlast".getBytes(StandardCharsets.UTF_8),
                "tokenize", "--tokenizer", modelFile.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(idsLine("hello world") + "\n\n" + idsLine("中国人民银行") + "\n" + idsLine("  x  ") + "\n"
                + idsLine("last") + "\n", r.out());
        assertTrue(!idsLine("hello world").isEmpty() && !idsLine("hello world").startsWith("1 "));
    }

    @Test
    void carriageReturnStaysInTheLineAndInvalidBytesAreReplacementCharacters() {
        byte[] input = {'a', '\r', '\n', (byte) 0xF3, (byte) 0xA2, '\n'};
        CliRun.Result r = CliRun.run(input, "tokenize", "--model", modelFile.getParent().toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(idsLine("a\r") + "\n" + idsLine("\uFFFD\uFFFD") + "\n", r.out());
    }

    /**
     * A program that writes a line and waits for its ids before writing the next (a co-process) gets them as soon as
     * the input has nothing more for the moment, not when the output buffer fills or the input ends.
     */
    @Test
    void eachLinesIdsAreFlushedWhileTheInputWaits() throws Exception {
        java.util.concurrent.CountDownLatch answered = new java.util.concurrent.CountDownLatch(1);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                super.write(b, off, len);
                if (toString(StandardCharsets.UTF_8).endsWith("\n")) {
                    answered.countDown();
                }
            }
        };
        java.io.InputStream coProcess = new java.io.InputStream() {
            private final byte[] first = "中国人民银行\n".getBytes(StandardCharsets.UTF_8);
            private boolean sent;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                if (!sent) {
                    sent = true;
                    System.arraycopy(first, 0, b, off, first.length);
                    return first.length;
                }
                try { // the next line only once the ids of this one have come back
                    if (!answered.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
                        throw new java.io.IOException("no ids for the first line while the input waited");
                    }
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
                return -1;
            }

            @Override
            public int available() {
                return 0;
            }
        };
        TokenizeCommand.tokenizeLines(tokenizer, coProcess, out);
        assertEquals(idsLine("中国人民银行") + "\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void emptyInputGivesNoOutput() {
        assertEquals("", CliRun.run(new byte[0], "tokenize", "--tokenizer", modelFile.toString()).out());
        assertEquals("\n", CliRun.run(new byte[] {'\n'}, "tokenize", "--tokenizer", modelFile.toString()).out());
    }

    @Test
    void longLinesAcrossReadBuffers() {
        String longLine = "中国人民银行 hello world ".repeat(5000);
        CliRun.Result r = CliRun.run((longLine + "\n" + longLine).getBytes(StandardCharsets.UTF_8),
                "tokenize", "--tokenizer", modelFile.toString());
        assertEquals(idsLine(longLine) + "\n" + idsLine(longLine) + "\n", r.out());
    }

    @Test
    void missingTokenizerIsOneClearLine() {
        CliRun.Result r = CliRun.run(new byte[0], "tokenize", "--tokenizer", dir.resolve("absent.model").toString());
        assertEquals(1, r.code());
        assertEquals("yinghuo tokenize: tokenizer model not found: " + dir.resolve("absent.model"), r.err().strip());
        CliRun.Result noDir = CliRun.run(new byte[0], "tokenize", "--model", dir.resolve("absent").toString());
        assertEquals("yinghuo tokenize: model directory not found: " + dir.resolve("absent"), noDir.err().strip());
    }

    @Test
    void tokenizerAndModelAreExclusive() {
        CliRun.Result r = CliRun.run(new byte[0], "tokenize", "--tokenizer", modelFile.toString(), "--model", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("mutually exclusive"), r.err());
    }

    /**
     * The real Chinese-LLaMA-2 tokenizer gives the ids sentencepiece 0.1.97's spm_encode gives; skipped without
     * ../shared.
     */
    @Test
    void matchesSpmEncodeOnTheRealTokenizer() throws Exception {
        Path real = null;
        for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared/models/chinese-llama-2-tokenizer/tokenizer.model");
            if (Files.isRegularFile(candidate)) {
                real = candidate;
                break;
            }
        }
        Assumptions.assumeTrue(real != null, "skipped: no shared/models/chinese-llama-2-tokenizer beside the repo");
        CliRun.Result r = CliRun.run("中国的首都是北京。\n数字12345和emoji😀\nx  y\n \n<s>\n".getBytes(StandardCharsets.UTF_8),
                "tokenize", "--model", real.getParent().toString());
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n", -1);
        assertEquals("34984 30210 35983 30392 32139 30267", lines[0]);
        assertEquals("29871 33456 29896 29906 29941 29946 29945 30503 15810 2397 243 162 155 131", lines[1]);
        assertEquals("921 29871 343", lines[2]);
        assertEquals("259", lines[3]);
        assertTrue(!lines[4].isEmpty() && !Arrays.asList(lines[4].split(" ")).contains("1"), lines[4]);
        assertEquals(6, lines.length);
    }
}
