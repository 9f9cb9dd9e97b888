package io.yinghuo.embeddings.rerank;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.langchain4j.data.segment.TextSegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Rerankers#fromFolder} refuses every folder it cannot use with a message that names the file and says why, in
 * English and Chinese. The built-in bge-small-zh model (a real ONNX model and a real BERT tokenizer, from the
 * LangChain4j jar) stands in for "a model that loads but is not a cross-encoder" and for the pair encoding; the
 * models with the wrong inputs or outputs are small graphs written by {@link OnnxWriter}.
 */
class RerankersTest {

    private static final String BGE_TOKENIZER = "/bge-small-zh-v1.5-tokenizer.json";
    private static final String BGE_MODEL = "/bge-small-zh-v1.5.onnx";

    @TempDir
    Path dir;

    private static void copyResource(String name, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        try (InputStream in = RerankersTest.class.getResourceAsStream(name)) {
            assertTrue(in != null, name + " is in the bge-small-zh jar");
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String refusal(Path folder) {
        String message = assertThrows(RerankerLoadException.class, () -> Rerankers.fromFolder(folder)).getMessage();
        return message;
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "\"" + message + "\" should mention " + part);
        }
    }

    @Test
    void aMissingFolder() {
        Path absent = dir.resolve("bge-reranker-base");
        assertMentions(refusal(absent), "reranker folder not found: " + absent, "找不到重排序模型文件夹");
    }

    @Test
    void aFileInsteadOfAFolder() throws IOException {
        Path file = Files.writeString(dir.resolve("model.onnx"), "x");
        assertMentions(refusal(file), file + " is a file", "model.onnx and tokenizer.json", "重排序模型应为");
    }

    @Test
    void aFolderWithoutModelOnnx() throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), "{}");
        Files.writeString(dir.resolve("pytorch_model.bin"), "weights");
        assertMentions(refusal(dir), "no model.onnx (nor onnx/model.onnx) in the reranker folder " + dir,
                "optimum-cli export onnx", "没有 model.onnx");
    }

    @Test
    void aFolderWithoutTokenizerJson() throws IOException {
        Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 3});
        assertMentions(refusal(dir), "no tokenizer.json in the reranker folder " + dir, "没有 tokenizer.json");
    }

    @Test
    void aTokenizerThatIsNotJson() throws IOException {
        Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 3});
        Path tokenizer = Files.writeString(dir.resolve("tokenizer.json"), "not a tokenizer {");
        assertMentions(refusal(dir), "cannot read the reranker's tokenizer " + tokenizer, "无法读取重排序模型的分词器");
    }

    @Test
    void garbageThatOnnxRuntimeCannotLoad() throws IOException {
        copyResource(BGE_TOKENIZER, dir.resolve("tokenizer.json"));
        byte[] garbage = new byte[4096];
        new java.util.Random(7).nextBytes(garbage);
        Path model = Files.write(dir.resolve("model.onnx"), garbage);
        RerankerLoadException refusal = assertThrows(RerankerLoadException.class, () -> Rerankers.fromFolder(dir));
        assertMentions(refusal.getMessage(), "ONNX Runtime cannot load the reranker model " + model, "无法加载重排序模型");
        // and ONNX Runtime's own reason, which says what is wrong with the file
        String reason = refusal.getCause().getMessage().strip();
        assertTrue(!reason.isEmpty());
        assertMentions(refusal.getMessage(), model + ": " + reason + " (无法加载重排序模型)");
    }

    @Test
    void theOnnxSubfolderLayoutIsFound() throws IOException {
        // The HuggingFace ONNX exports put the model under onnx/ and the tokenizer at the top.
        copyResource(BGE_TOKENIZER, dir.resolve("tokenizer.json"));
        Path model = Files.writeString(Files.createDirectories(dir.resolve("onnx")).resolve("model.onnx"), "garbage",
                StandardCharsets.UTF_8);
        assertMentions(refusal(dir), "ONNX Runtime cannot load the reranker model " + model);
    }

    @Test
    void anEmbeddingModelIsNotACrossEncoder() throws IOException {
        copyResource(BGE_TOKENIZER, dir.resolve("tokenizer.json"));
        copyResource(BGE_MODEL, dir.resolve("model.onnx"));
        assertMentions(refusal(dir), "the reranker model " + dir.resolve("model.onnx") + " is not a cross-encoder",
                "one score per (query, passage) pair", "embedding model", "不是重排序模型");
    }

    @Test
    void pairsAreEncodedTogetherAndCutTo512Tokens() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        copyResource(BGE_TOKENIZER, file);
        assertEquals(0, OnnxCrossEncoder.padId(file), "BERT's [PAD]");
        try (HuggingFaceTokenizer tokenizer = OnnxCrossEncoder.tokenizer(file)) {
            Encoding[] encodings = OnnxCrossEncoder.encode(tokenizer, "长江多长",
                    List.of(TextSegment.from("长江全长六千三百公里。"), TextSegment.from("长".repeat(2000))));
            Encoding pair = encodings[0];
            List<String> tokens = Arrays.asList(pair.getTokens());
            assertEquals("[CLS]", tokens.get(0));
            assertEquals(List.of("[CLS]", "长", "江", "多", "长", "[SEP]"), tokens.subList(0, 6));
            assertEquals("[SEP]", tokens.get(tokens.size() - 1));
            long[] types = pair.getTypeIds();
            assertEquals(0, types[5], "the query and its [SEP] are segment 0");
            assertEquals(1, types[6], "the passage is segment 1");
            assertEquals(tokens.size(), pair.getIds().length, "not padded");
            Encoding longPair = encodings[1];
            assertEquals(OnnxCrossEncoder.MAX_LENGTH, longPair.getIds().length);
            assertEquals(List.of("[CLS]", "长", "江", "多", "长", "[SEP]"),
                    Arrays.asList(longPair.getTokens()).subList(0, 6), "the long passage is cut, not the query");
            long[] ones = new long[OnnxCrossEncoder.MAX_LENGTH];
            Arrays.fill(ones, 1);
            assertArrayEquals(ones, longPair.getAttentionMask());
        }
    }

    @Test
    void thePadIdIsTheTokenizersOwn() throws IOException {
        Path padding = Files.writeString(dir.resolve("a.json"), "{\"padding\": {\"pad_id\": 1, \"pad_token\": \"<pad>\"}}");
        assertEquals(1, OnnxCrossEncoder.padId(padding));
        Path added = Files.writeString(dir.resolve("b.json"), "{\"padding\": null, \"added_tokens\": ["
                + "{\"id\": 0, \"content\": \"<s>\"}, {\"id\": 1, \"content\": \"<pad>\"}]}");
        assertEquals(1, OnnxCrossEncoder.padId(added), "XLM-R's <pad>, not <s>");
    }

    @Test
    void scoresAreTheSigmoidOfTheLogit() {
        assertEquals(0.5, OnnxCrossEncoder.sigmoid(0), 1e-12);
        assertEquals(1 / (1 + Math.exp(-3.0)), OnnxCrossEncoder.sigmoid(3), 1e-12);
        assertTrue(OnnxCrossEncoder.sigmoid(-40) >= 0 && OnnxCrossEncoder.sigmoid(40) <= 1);
    }

    /** A model with the given token-id inputs whose outputs are each the number of tokens of a pair. */
    private Path folderWith(OnnxWriter model) throws IOException {
        model.write(dir.resolve("model.onnx"));
        TinyCrossEncoders.writeBertTokenizer(dir.resolve("tokenizer.json"));
        return dir;
    }

    /** input_ids and attention_mask (int64 unless given), and {@code output}: the count of each pair's tokens. */
    private static OnnxWriter tokenCount(int idsType, String output, int outputType, Object... dims) {
        return new OnnxWriter()
                .input("input_ids", idsType)
                .input("attention_mask", OnnxWriter.INT64)
                .longs("axes", new long[] {1}, 1)
                .node("Cast", List.of("attention_mask"), List.of("mask"), "to", outputType)
                .node("ReduceSum", List.of("mask", "axes"), List.of(output), "keepdims", dims.length == 1 ? 0 : 1)
                .output(output, outputType, dims);
    }

    @Test
    void aModelWithAnInputNoCrossEncoderTakesIsRefused() throws IOException {
        // e.g. a decoder export, which also takes position_ids
        folderWith(tokenCount(OnnxWriter.INT64, "logits", OnnxWriter.FLOAT, "batch", 1L)
                .input("position_ids", OnnxWriter.INT64));
        assertMentions(refusal(dir), "is not a cross-encoder: it has an input position_ids", "不是重排序模型");
    }

    @Test
    void tokenIdsMustBeInt64() throws IOException {
        folderWith(tokenCount(OnnxWriter.INT32, "logits", OnnxWriter.FLOAT, "batch", 1L));
        assertMentions(refusal(dir), "is not a cross-encoder: its input input_ids is", "not a tensor of int64 token ids");
    }

    @Test
    void aModelWithoutAnAttentionMaskIsRefused() throws IOException {
        folderWith(new OnnxWriter()
                .input("input_ids", OnnxWriter.INT64)
                .input("token_type_ids", OnnxWriter.INT64)
                .longs("axes", new long[] {1}, 1)
                .node("Cast", List.of("input_ids"), List.of("ids"), "to", OnnxWriter.FLOAT)
                .node("ReduceSum", List.of("ids", "axes"), List.of("logits"), "keepdims", 1)
                .output("logits", OnnxWriter.FLOAT, "batch", 1L));
        assertMentions(refusal(dir), "is not a cross-encoder: it has no input attention_mask");
    }

    @Test
    void aModelWithoutInputIdsIsRefused() throws IOException {
        folderWith(new OnnxWriter()
                .input("attention_mask", OnnxWriter.INT64)
                .longs("axes", new long[] {1}, 1)
                .node("Cast", List.of("attention_mask"), List.of("mask"), "to", OnnxWriter.FLOAT)
                .node("ReduceSum", List.of("mask", "axes"), List.of("logits"), "keepdims", 1)
                .output("logits", OnnxWriter.FLOAT, "batch", 1L));
        assertMentions(refusal(dir), "is not a cross-encoder: it has no input input_ids");
    }

    @Test
    void theOutputNamedLogitsIsTheScoreWhereThereAreSeveral() throws IOException {
        // a hidden state [batch, sequence] first, then the logits: the loader must take logits
        folderWith(new OnnxWriter()
                .input("input_ids", OnnxWriter.INT64)
                .input("attention_mask", OnnxWriter.INT64)
                .longs("axes", new long[] {1}, 1)
                .node("Cast", List.of("attention_mask"), List.of("hidden"), "to", OnnxWriter.FLOAT)
                .node("ReduceSum", List.of("hidden", "axes"), List.of("logits"), "keepdims", 1)
                .output("hidden", OnnxWriter.FLOAT, "batch", "sequence")
                .output("logits", OnnxWriter.FLOAT, "batch", 1L));
        try (OnnxCrossEncoder encoder = Rerankers.fromFolder(dir)) {
            // [CLS] 长 江 [SEP] 黄 河 [SEP]: 7 tokens, so the logit 7
            assertEquals(OnnxCrossEncoder.sigmoid(7), encoder.score("黄河", "长江").content(), 1e-9);
        }
    }

    @Test
    void severalOutputsNoneNamedLogitsAreRefused() throws IOException {
        folderWith(tokenCount(OnnxWriter.INT64, "start_logits", OnnxWriter.FLOAT, "batch", 1L)
                .node("Identity", List.of("start_logits"), List.of("end_logits"))
                .output("end_logits", OnnxWriter.FLOAT, "batch", 1L));
        assertMentions(refusal(dir), "it has no output named logits (outputs: ", "start_logits", "end_logits");
    }

    @Test
    void integerLogitsAreRefused() throws IOException {
        folderWith(tokenCount(OnnxWriter.INT64, "logits", OnnxWriter.INT64, "batch", 1L));
        assertMentions(refusal(dir), "its output logits holds INT64, not float logits");
    }

    @Test
    void twoScoresPerPairAreRefused() throws IOException {
        // a classifier head with two labels, [batch, 2]
        folderWith(tokenCount(OnnxWriter.INT64, "count", OnnxWriter.FLOAT, "batch", 1L)
                .node("Concat", List.of("count", "count"), List.of("logits"), "axis", 1)
                .output("logits", OnnxWriter.FLOAT, "batch", 2L));
        assertMentions(refusal(dir), "its output logits has the shape [-1, 2]", "one score per (query, passage) pair");
    }

    @Test
    void aThreeDimensionalOutputIsRefused() throws IOException {
        folderWith(tokenCount(OnnxWriter.INT64, "count", OnnxWriter.FLOAT, "batch", 1L)
                .longs("last", new long[] {1}, 2)
                .node("Unsqueeze", List.of("count", "last"), List.of("logits"))
                .output("logits", OnnxWriter.FLOAT, "batch", 1L, 1L));
        assertMentions(refusal(dir), "its output logits has the shape [-1, 1, 1]");
    }

    @Test
    void anOutputWithNoScorePerPairIsRefused() throws IOException {
        // [batch, 0]: the logits sliced away
        folderWith(tokenCount(OnnxWriter.INT64, "count", OnnxWriter.FLOAT, "batch", 1L)
                .longs("from", new long[] {1}, 1)
                .longs("to", new long[] {1}, 1)
                .longs("axis", new long[] {1}, 1)
                .node("Slice", List.of("count", "from", "to", "axis"), List.of("logits"))
                .output("logits", OnnxWriter.FLOAT, "batch", 0L));
        assertMentions(refusal(dir), "its output logits has the shape [-1, 0]");
    }

    @Test
    void anOutputWhoseSecondSizeIsLeftOpenIsTakenAsOneScorePerPair() throws IOException {
        // exports may leave every size symbolic: [batch, n]; ONNX Runtime then reports -1 for n. The logits are the
        // pairs' token counts: [CLS] 长 [SEP] 黄 河 [SEP] is 6, [CLS] 长 [SEP] 江 [SEP] 5
        folderWith(tokenCount(OnnxWriter.INT64, "count", OnnxWriter.FLOAT, "batch", 1L)
                .longs("everything", new long[] {2}, 0, -1)
                .node("Reshape", List.of("count", "everything"), List.of("logits"))
                .output("logits", OnnxWriter.FLOAT, "batch", "labels"));
        try (OnnxCrossEncoder encoder = Rerankers.fromFolder(dir)) {
            assertEquals(List.of(OnnxCrossEncoder.sigmoid(6), OnnxCrossEncoder.sigmoid(5)),
                    encoder.scoreAll(List.of(TextSegment.from("黄河"), TextSegment.from("江")), "长").content());
        }
    }

    @Test
    void aSingleOutputOfOneScorePerPairIsTheScoreWhateverItsName() throws IOException {
        // [batch] and [batch, 1] are both one score per pair
        folderWith(tokenCount(OnnxWriter.INT64, "score", OnnxWriter.FLOAT, "batch"));
        try (OnnxCrossEncoder encoder = Rerankers.fromFolder(dir)) {
            assertEquals(OnnxCrossEncoder.sigmoid(7), encoder.score("黄河", "长江").content(), 1e-9);
        }
    }
}
