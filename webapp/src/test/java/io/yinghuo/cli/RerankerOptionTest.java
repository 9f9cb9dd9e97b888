package io.yinghuo.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --reranker DIR} of {@code serve} and {@code ask}: a folder that cannot be used is a usage error — one line
 * that says why, exit code 2, no stack trace — reported before any model is loaded or data folder created.
 */
class RerankerOptionTest {

    @TempDir
    Path dir;

    private static void assertOneClearLine(CliRun.Result r, String expected) {
        assertEquals(2, r.code(), r.err());
        assertEquals(expected, r.err().strip());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void serveWithAMissingFolder() {
        Path absent = dir.resolve("bge-reranker-base");
        CliRun.Result r = CliRun.run("serve", "--data", dir.resolve("data").toString(), "--port", "0",
                "--no-vectors", "--reranker", absent.toString());
        assertOneClearLine(r, "yinghuo serve: --reranker: reranker folder not found: " + absent
                + " (找不到重排序模型文件夹)");
        assertFalse(Files.exists(dir.resolve("data")), "nothing was started");
    }

    @Test
    void askWithAFolderWithoutAModel() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("reranker"));
        Files.writeString(folder.resolve("tokenizer.json"), "{}");
        CliRun.Result r = CliRun.run("ask", "--data", dir.resolve("data").toString(), "--reranker", folder.toString(),
                "长江有多长");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("yinghuo ask: --reranker: no model.onnx (nor onnx/model.onnx) in the reranker"
                + " folder " + folder), r.err());
        assertTrue(r.err().strip().endsWith("(重排序模型文件夹中没有 model.onnx)"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void askWithFilesThatCannotBeRead() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("reranker"));
        Files.write(folder.resolve("model.onnx"), new byte[] {0, 1, 2, 3});
        Files.writeString(folder.resolve("tokenizer.json"), "<html>not found</html>");
        CliRun.Result r = CliRun.run("ask", "--data", dir.resolve("data").toString(), "--reranker", folder.toString(),
                "长江有多长");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("yinghuo ask: --reranker: cannot read the reranker's tokenizer "
                + folder.resolve("tokenizer.json")), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
