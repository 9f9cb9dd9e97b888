package io.yinghuo.embeddings.rerank;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.util.PairList;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.scoring.ScoringModel;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A cross-encoder reranker run in process by ONNX Runtime, as a LangChain4j {@link ScoringModel}: each (query,
 * passage) pair is tokenized together by the model's HuggingFace tokenizer ({@code [CLS] query [SEP] passage [SEP]}
 * or XLM-R's {@code <s> query </s></s> passage </s>}, at most {@value #MAX_LENGTH} tokens, the longer side cut
 * first), the model gives one logit per pair, and the score is its sigmoid, in [0, 1] — the
 * {@code normalize=True} convention of BAAI's bge-reranker (FlagEmbedding) and of LangChain4j's
 * {@code OnnxScoringModel}. The model gets {@code input_ids} and {@code attention_mask}, and
 * {@code token_type_ids} only when it declares that input (BERT-based models do, XLM-R-based ones such as
 * bge-reranker-base and bge-reranker-v2-m3 do not). Pairs are run {@value #BATCH_SIZE} at a time, padded to the
 * longest of the batch with the tokenizer's own pad token.
 *
 * <p>LangChain4j's own {@code langchain4j-onnx-scoring} does the same but is not on our Maven mirror; this class
 * uses only what the built-in embedding model already brings (ONNX Runtime and DJL's tokenizers).
 *
 * <p>No real reranker is available offline, so the tests write their own cross-encoder folders (a real ONNX graph
 * in the BERT and the XLM-R export layouts, and a real tokenizer.json, small enough that the score of each pair is
 * known; {@code OnnxCrossEncoderTest}) and check the scores, the batching and padding, the truncation and every
 * refusal of {@link Rerankers#fromFolder} against them; the built-in bge-small-zh embedding model stands in for a
 * real ONNX model that is not a cross-encoder, and its tokenizer.json for the pair encoding of a real BERT
 * vocabulary. Whether a real bge-reranker ranks well is not tested in this build.
 */
public final class OnnxCrossEncoder implements ScoringModel, AutoCloseable {

    /** Longest (query, passage) pair in tokens, special tokens included: the position limit of BERT and XLM-R. */
    public static final int MAX_LENGTH = 512;
    /** Pairs per model run: bounds the activations (16 × 512 tokens) while amortizing each run's overhead. */
    static final int BATCH_SIZE = 16;

    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TOKEN_TYPE_IDS = "token_type_ids";

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final long padId;
    private final boolean typeIds;
    private final String output;
    private final Path modelFile;

    private OnnxCrossEncoder(OrtEnvironment environment, OrtSession session, HuggingFaceTokenizer tokenizer,
                             long padId, boolean typeIds, String output, Path modelFile) {
        this.environment = environment;
        this.session = session;
        this.tokenizer = tokenizer;
        this.padId = padId;
        this.typeIds = typeIds;
        this.output = output;
        this.modelFile = modelFile;
    }

    /**
     * Loads the model and its tokenizer; see {@link Rerankers#fromFolder}, which finds the two files.
     *
     * @throws RerankerLoadException when either cannot be read, or the model is not a cross-encoder
     */
    static OnnxCrossEncoder load(Path modelFile, Path tokenizerFile) {
        HuggingFaceTokenizer tokenizer = tokenizer(tokenizerFile);
        OrtEnvironment environment;
        OrtSession session;
        try {
            environment = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                session = environment.createSession(modelFile.toString(), options);
            }
        } catch (OrtException | RuntimeException | LinkageError e) {
            tokenizer.close();
            throw new RerankerLoadException("ONNX Runtime cannot load the reranker model " + modelFile + ": "
                    + message(e) + " (无法加载重排序模型)", e);
        }
        try {
            boolean typeIds = checkInputs(session, modelFile);
            String output = checkOutput(session, modelFile);
            return new OnnxCrossEncoder(environment, session, tokenizer, padId(tokenizerFile), typeIds, output,
                    modelFile);
        } catch (RuntimeException e) {
            closeQuietly(session);
            tokenizer.close();
            throw e;
        }
    }

    static HuggingFaceTokenizer tokenizer(Path tokenizerFile) {
        try {
            return HuggingFaceTokenizer.builder()
                    .optTokenizerPath(tokenizerFile)
                    .optAddSpecialTokens(true)
                    .optTruncation(true) // longest_first: the longer of query and passage is cut first
                    .optMaxLength(MAX_LENGTH)
                    .optPadding(false) // padded here, per batch, with the model's pad id
                    .build();
        } catch (IOException | RuntimeException | LinkageError e) {
            throw new RerankerLoadException("cannot read the reranker's tokenizer " + tokenizerFile + ": " + message(e)
                    + " (无法读取重排序模型的分词器 tokenizer.json)", e);
        }
    }

    /** Whether the model takes token_type_ids; refuses a model without the inputs of a cross-encoder. */
    private static boolean checkInputs(OrtSession session, Path modelFile) {
        Map<String, NodeInfo> inputs;
        try {
            inputs = session.getInputInfo();
        } catch (OrtException e) {
            throw new RerankerLoadException("cannot read the inputs of the reranker model " + modelFile + ": "
                    + message(e) + " (无法读取重排序模型的输入)", e);
        }
        Set<String> known = Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS);
        for (Map.Entry<String, NodeInfo> input : inputs.entrySet()) {
            if (!known.contains(input.getKey())) {
                throw notCrossEncoder(modelFile, "it has an input " + input.getKey() + " (a cross-encoder takes "
                        + INPUT_IDS + ", " + ATTENTION_MASK + " and perhaps " + TOKEN_TYPE_IDS + "; inputs: "
                        + inputs.keySet() + ")");
            }
            if (!(input.getValue().getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.INT64) {
                throw notCrossEncoder(modelFile, "its input " + input.getKey() + " is " + input.getValue().getInfo()
                        + ", not a tensor of int64 token ids");
            }
        }
        for (String required : List.of(INPUT_IDS, ATTENTION_MASK)) {
            if (!inputs.containsKey(required)) {
                throw notCrossEncoder(modelFile, "it has no input " + required + " (inputs: " + inputs.keySet() + ")");
            }
        }
        return inputs.containsKey(TOKEN_TYPE_IDS);
    }

    /** The output that holds the logits (named {@code logits} in the exports; else the only one). */
    private static String checkOutput(OrtSession session, Path modelFile) {
        Map<String, NodeInfo> outputs;
        try {
            outputs = session.getOutputInfo();
        } catch (OrtException e) {
            throw new RerankerLoadException("cannot read the outputs of the reranker model " + modelFile + ": "
                    + message(e) + " (无法读取重排序模型的输出)", e);
        }
        String name = outputs.containsKey("logits") ? "logits" : outputs.size() == 1 ? outputs.keySet().iterator()
                .next() : null;
        if (name == null) {
            throw notCrossEncoder(modelFile, "it has no output named logits (outputs: " + outputs.keySet() + ")");
        }
        if (!(outputs.get(name).getInfo() instanceof TensorInfo tensor)) {
            throw notCrossEncoder(modelFile, "its output " + name + " is not a tensor");
        }
        if (tensor.type != OnnxJavaType.FLOAT && tensor.type != OnnxJavaType.FLOAT16
                && tensor.type != OnnxJavaType.BFLOAT16) {
            throw notCrossEncoder(modelFile, "its output " + name + " holds " + tensor.type + ", not float logits");
        }
        long[] shape = tensor.getShape();
        boolean onePerPair = shape.length == 1 || shape.length == 2 && (shape[1] == 1 || shape[1] < 0);
        if (!onePerPair) {
            throw notCrossEncoder(modelFile, "its output " + name + " has the shape " + Arrays.toString(shape)
                    + ", where a cross-encoder gives one score per (query, passage) pair, [batch, 1]; is this an"
                    + " embedding model?");
        }
        return name;
    }

    private static RerankerLoadException notCrossEncoder(Path modelFile, String why) {
        return new RerankerLoadException("the reranker model " + modelFile + " is not a cross-encoder: " + why
                + " (该模型不是重排序模型 cross-encoder)");
    }

    /**
     * The id padded batches are filled with: the tokenizer's padding id, else its {@code <pad>} / {@code [PAD]}
     * token, else 0. XLM-R models compute positions from the ids that are not padding, so the pad id matters.
     */
    static long padId(Path tokenizerFile) {
        try {
            JsonNode root = new ObjectMapper().readTree(tokenizerFile.toFile());
            JsonNode padding = root.path("padding");
            if (padding.path("pad_id").isIntegralNumber()) {
                return padding.path("pad_id").asLong();
            }
            for (JsonNode token : root.path("added_tokens")) {
                String content = token.path("content").asText();
                if (("<pad>".equals(content) || "[PAD]".equals(content)) && token.path("id").isIntegralNumber()) {
                    return token.path("id").asLong();
                }
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            throw new RerankerLoadException("cannot read the reranker's tokenizer " + tokenizerFile + ": " + message(e)
                    + " (无法读取重排序模型的分词器 tokenizer.json)", e);
        }
    }

    /** Whether the model takes token_type_ids (BERT) or not (XLM-R). */
    boolean usesTokenTypeIds() {
        return typeIds;
    }

    /**
     * Scores every segment against {@code query}: the sigmoid of the model's logit for the pair, in [0, 1], in the
     * order of {@code segments}.
     *
     * @throws IllegalStateException when ONNX Runtime fails to run the model
     */
    @Override
    public Response<List<Double>> scoreAll(List<TextSegment> segments, String query) {
        Objects.requireNonNull(segments, "segments");
        Objects.requireNonNull(query, "query");
        List<Double> scores = new ArrayList<>(segments.size());
        for (int from = 0; from < segments.size(); from += BATCH_SIZE) {
            List<TextSegment> batch = segments.subList(from, Math.min(segments.size(), from + BATCH_SIZE));
            for (float logit : logits(encode(tokenizer, query, batch))) {
                scores.add(sigmoid(logit));
            }
        }
        return Response.from(scores);
    }

    static double sigmoid(double logit) {
        return 1 / (1 + Math.exp(-logit));
    }

    /** The batch's pairs tokenized, each truncated to {@value #MAX_LENGTH} tokens, not padded. */
    static Encoding[] encode(HuggingFaceTokenizer tokenizer, String query, List<TextSegment> batch) {
        PairList<String, String> pairs = new PairList<>(batch.size());
        for (TextSegment segment : batch) {
            pairs.add(query, segment.text());
        }
        return tokenizer.batchEncode(pairs);
    }

    private float[] logits(Encoding[] encodings) {
        int rows = encodings.length;
        int length = 0;
        for (Encoding encoding : encodings) {
            length = Math.max(length, encoding.getIds().length);
        }
        long[] ids = new long[rows * length];
        long[] mask = new long[rows * length];
        long[] types = new long[rows * length];
        Arrays.fill(ids, padId);
        for (int r = 0; r < rows; r++) {
            long[] rowIds = encodings[r].getIds();
            System.arraycopy(rowIds, 0, ids, r * length, rowIds.length);
            System.arraycopy(encodings[r].getAttentionMask(), 0, mask, r * length, rowIds.length);
            System.arraycopy(encodings[r].getTypeIds(), 0, types, r * length, rowIds.length);
        }
        long[] shape = {rows, length};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put(INPUT_IDS, OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape));
            inputs.put(ATTENTION_MASK, OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape));
            if (typeIds) {
                inputs.put(TOKEN_TYPE_IDS, OnnxTensor.createTensor(environment, LongBuffer.wrap(types), shape));
            }
            try (OrtSession.Result result = session.run(inputs, Set.of(output))) {
                OnnxValue value = result.get(0);
                FloatBuffer logits = value instanceof OnnxTensor tensor ? tensor.getFloatBuffer() : null;
                if (logits == null || logits.remaining() != rows) {
                    throw new IllegalStateException("the reranker " + modelFile + " gave "
                            + (logits == null ? "no float logits" : logits.remaining() + " values") + " for " + rows
                            + " (query, passage) pairs");
                }
                float[] out = new float[rows];
                logits.get(out);
                return out;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("the reranker " + modelFile + " failed to run: " + message(e), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        closeQuietly(session);
        tokenizer.close();
    }

    @Override
    public String toString() {
        return "OnnxCrossEncoder[" + modelFile + "]";
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // the session is gone either way
        }
    }

    private static String message(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.strip();
    }
}
