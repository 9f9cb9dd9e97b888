package io.yinghuo.embeddings.rerank;

/**
 * A reranker folder that cannot be used (missing, incomplete, not loadable, not a cross-encoder). Its message is
 * written for the user, in English and Chinese, and names the file at fault; it is an
 * {@link IllegalArgumentException} because the folder is a value the user gave.
 */
public final class RerankerLoadException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public RerankerLoadException(String message) {
        super(message);
    }

    public RerankerLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
