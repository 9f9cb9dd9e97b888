package io.yinghuo.embeddings.rerank;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.scoring.ScoringModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.yinghuo.embeddings.rerank.TinyCrossEncoders.bertLogit;
import static io.yinghuo.embeddings.rerank.TinyCrossEncoders.xlmrLogit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reranker's scoring, run for real: ONNX Runtime and the HuggingFace tokenizer load cross-encoder folders that
 * the test writes ({@link TinyCrossEncoders}: a real ONNX graph and tokenizer.json, small enough that the score of a
 * pair can be computed by hand), and each score must be the sigmoid of the logit the model gives that pair.
 */
class OnnxCrossEncoderTest {

    private static final String QUERY = "长江多长";
    private static final double EXACT = 1e-6;

    @TempDir
    Path dir;

    private static double sigmoid(double logit) {
        return 1 / (1 + Math.exp(-logit));
    }

    private static List<TextSegment> segments(String... texts) {
        List<TextSegment> segments = new ArrayList<>();
        for (String text : texts) {
            segments.add(TextSegment.from(text));
        }
        return segments;
    }

    @Test
    void eachPassageGetsTheSigmoidOfTheModelsLogitInTheOrderGiven() throws IOException {
        try (OnnxCrossEncoder encoder = Rerankers.fromFolder(TinyCrossEncoders.bert(dir))) {
            assertTrue(encoder.usesTokenTypeIds(), "a BERT export takes token_type_ids");
            ScoringModel model = encoder;
            String unrelated = "大熊猫吃竹子";
            String answer = "长江全长六千三百公里";
            String wrongRiver = "黄河是中国第二长河";
            List<Double> scores = model.scoreAll(segments(unrelated, answer, wrongRiver), QUERY).content();
            assertEquals(3, scores.size());
            assertEquals(sigmoid(bertLogit(QUERY, unrelated, 512)), scores.get(0), EXACT);
            assertEquals(sigmoid(bertLogit(QUERY, answer, 512)), scores.get(1), EXACT);
            assertEquals(sigmoid(bertLogit(QUERY, wrongRiver, 512)), scores.get(2), EXACT);
            // not sorted: the caller ranks; and the model's order is kept
            assertTrue(scores.get(1) > scores.get(0) && scores.get(0) > scores.get(2), scores.toString());
            for (double score : scores) {
                assertTrue(score > 0 && score < 1, "a probability: " + score);
            }
            assertEquals(scores.get(1), model.score(answer, QUERY).content(), 0.0, "score of one text");
            assertEquals(scores.get(2), model.score(TextSegment.from(wrongRiver), QUERY).content(), 0.0);
        }
    }

    @Test
    void theQueryAndThePassageAreToldApartByTheirSegment() throws IOException {
        // 长 weighs 0.125 in the query and 0.5 in the passage: the same characters on the other side score otherwise.
        try (OnnxCrossEncoder encoder = Rerankers.fromFolder(TinyCrossEncoders.bert(dir))) {
            double forward = encoder.score("长江", "多").content();
            double swapped = encoder.score("多", "长江").content();
            assertEquals(sigmoid(bertLogit("多", "长江", 512)), forward, EXACT);
            assertEquals(sigmoid(bertLogit("长江", "多", 512)), swapped, EXACT);
            assertTrue(forward > swapped, forward + " vs " + swapped);
        }
    }

    @Test
    void batchesGiveWhatOnePairAtATimeGives() throws IOException {
        // 40 passages of 1 to 40 characters: three batches (16, 16, 8), each padded to its longest pair.
        List<TextSegment> passages = new ArrayList<>();
        List<String> words = TinyCrossEncoders.WORDS;
        for (int i = 0; i < 40; i++) {
            StringBuilder text = new StringBuilder();
            for (int j = 0; j <= (i * 7) % 40; j++) {
                text.append(words.get((i + j * 3) % words.size()));
            }
            passages.add(TextSegment.from(text.toString()));
        }
        try (OnnxCrossEncoder encoder = Rerankers.fromFolder(TinyCrossEncoders.bert(dir))) {
            List<Double> together = encoder.scoreAll(passages, QUERY).content();
            assertEquals(passages.size(), together.size());
            for (int i = 0; i < passages.size(); i++) {
                double alone = encoder.score(passages.get(i), QUERY).content();
                assertEquals(alone, together.get(i), EXACT, "passage " + i + " (" + passages.get(i).text() + ")");
                assertEquals(sigmoid(bertLogit(QUERY, passages.get(i).text(), 512)), together.get(i), EXACT,
                        "passage " + i);
            }
        }
    }

    @Test
    void noPassagesNoScores() throws IOException {
        try (OnnxCrossEncoder encoder = Rerankers.fromFolder(TinyCrossEncoders.bert(dir))) {
            assertEquals(List.of(), encoder.scoreAll(List.of(), QUERY).content());
            assertThrows(NullPointerException.class, () -> encoder.scoreAll(null, QUERY));
            assertThrows(NullPointerException.class, () -> encoder.scoreAll(segments("长江"), null));
        }
    }

    @Test
    void aLongPassageIsCutTo512TokensAndALongQueryToo() throws IOException {
        // 的 weighs 1/256 in the passage: 2,000 of them would add 7.8 to the logit, the 505 that fit add about 2.
        String longPassage = "的".repeat(2000);
        String longQuery = "的".repeat(3000);
        try (OnnxCrossEncoder encoder = Rerankers.fromFolder(TinyCrossEncoders.bert(dir))) {
            List<Double> scores = encoder.scoreAll(segments(longPassage, "长江", longPassage), QUERY).content();
            double cut = sigmoid(bertLogit(QUERY, longPassage, OnnxCrossEncoder.MAX_LENGTH));
            assertEquals(cut, scores.get(0), EXACT);
            assertEquals(cut, scores.get(2), EXACT);
            assertTrue(cut < sigmoid(bertLogit(QUERY, longPassage, Integer.MAX_VALUE)) - 0.05,
                    "the cut is visible in the score");
            assertEquals(sigmoid(bertLogit(QUERY, "长江", 512)), scores.get(1), EXACT,
                    "a short pair batched with long ones");
            // the longer side is cut first: here the query, down to what leaves the passage whole
            double queryCut = encoder.score("黄河全长", longQuery).content();
            assertEquals(sigmoid(bertLogit(longQuery, "黄河全长", OnnxCrossEncoder.MAX_LENGTH)), queryCut, EXACT);
        }
    }

    @Test
    void anXlmRobertaExportTakesNoTokenTypesAndIsPaddedWithItsOwnPadId() throws IOException {
        // Its model counts the ids that are not <pad> (id 1), as XLM-R numbers positions: padding a short pair with
        // any other id would change its score when it shares a batch with a longer one.
        try (OnnxCrossEncoder encoder = Rerankers.fromFolder(TinyCrossEncoders.xlmr(dir))) {
            assertFalse(encoder.usesTokenTypeIds());
            String[] texts = {"长江", "黄河是中国第二长河", "大", "长江全长六千三百公里，是中国第一长河"};
            List<Double> scores = encoder.scoreAll(segments(texts), QUERY).content();
            for (int i = 0; i < texts.length; i++) {
                assertEquals(sigmoid(xlmrLogit(QUERY, texts[i])), scores.get(i), EXACT, texts[i]);
                assertEquals(encoder.score(texts[i], QUERY).content(), scores.get(i), EXACT, texts[i]);
            }
        }
    }

    @Test
    void halfPrecisionLogitsAreRead() throws IOException {
        // fp16 and bf16 exports: every logit here (multiples of 1/16 below 4) is exact in both formats.
        for (int type : new int[] {OnnxWriter.FLOAT16, OnnxWriter.BFLOAT16}) {
            Path folder = dir.resolve("type" + type);
            TinyCrossEncoders.bertModel(TinyCrossEncoders.bertVocabulary().size(), type)
                    .write(folder.resolve("model.onnx"));
            TinyCrossEncoders.writeBertTokenizer(folder.resolve("tokenizer.json"));
            try (OnnxCrossEncoder encoder = Rerankers.fromFolder(folder)) {
                List<Double> scores = encoder.scoreAll(segments("长江", "黄河"), QUERY).content();
                assertEquals(sigmoid(bertLogit(QUERY, "长江", 512)), scores.get(0), EXACT, "type " + type);
                assertEquals(sigmoid(bertLogit(QUERY, "黄河", 512)), scores.get(1), EXACT, "type " + type);
            }
        }
    }

    @Test
    void aModelThatFailsToRunIsAnErrorNamingTheModel() throws IOException {
        // Its table stops before the tokenizer's last ids: ONNX Runtime refuses the lookup of 么.
        Path model = TinyCrossEncoders.bertModel(TinyCrossEncoders.bertVocabulary().size() - 2, OnnxWriter.FLOAT)
                .write(dir.resolve("model.onnx"));
        TinyCrossEncoders.writeBertTokenizer(dir.resolve("tokenizer.json"));
        try (OnnxCrossEncoder encoder = Rerankers.fromFolder(dir)) {
            assertTrue(encoder.toString().contains(model.toString()), encoder.toString());
            assertEquals(sigmoid(bertLogit(QUERY, "长江", 512)), encoder.score("长江", QUERY).content(), EXACT,
                    "ids inside the table are fine");
            IllegalStateException failure = assertThrows(IllegalStateException.class,
                    () -> encoder.scoreAll(segments("长江", "什么"), QUERY));
            assertTrue(failure.getMessage().startsWith("the reranker " + model + " failed to run: "),
                    failure.getMessage());
        }
    }

    @Test
    void aModelThatGivesOneScoreForAWholeBatchIsAnError() throws IOException {
        // Declares [batch, 1] but sums over the batch too: one value for three pairs.
        Path model = new OnnxWriter()
                .input("input_ids", OnnxWriter.INT64)
                .input("attention_mask", OnnxWriter.INT64)
                .longs("axes", new long[] {2}, 0, 1)
                .node("Cast", List.of("attention_mask"), List.of("mask"), "to", OnnxWriter.FLOAT)
                .node("ReduceSum", List.of("mask", "axes"), List.of("logits"), "keepdims", 1)
                .output("logits", OnnxWriter.FLOAT, "batch", 1L)
                .write(dir.resolve("model.onnx"));
        TinyCrossEncoders.writeBertTokenizer(dir.resolve("tokenizer.json"));
        try (OnnxCrossEncoder encoder = Rerankers.fromFolder(dir)) {
            assertFalse(encoder.usesTokenTypeIds());
            assertEquals(sigmoid(6), encoder.score("长江", "多").content(), EXACT, "one pair, one value: its 6 tokens");
            IllegalStateException failure = assertThrows(IllegalStateException.class,
                    () -> encoder.scoreAll(segments("长江", "黄河", "大"), QUERY));
            assertEquals("the reranker " + model + " gave 1 values for 3 (query, passage) pairs",
                    failure.getMessage());
        }
    }
    @Test
    void aClosedRerankerRefusesToScore() throws IOException {
        // The model and the tokenizer live in native memory: once closed, scoring must fail as an exception, never
        // touch freed memory.
        OnnxCrossEncoder encoder = Rerankers.fromFolder(TinyCrossEncoders.bert(dir));
        assertEquals(sigmoid(bertLogit(QUERY, "长江", 512)), encoder.score("长江", QUERY).content(), EXACT);
        encoder.close();
        assertThrows(IllegalStateException.class, () -> encoder.score("长江", QUERY));
    }
}
