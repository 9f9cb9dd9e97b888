package io.yinghuo.model.checkpoint;

/**
 * A checkpoint, config or tokenizer that cannot be used. The message is meant for the user: it names the file and,
 * where there is one, the tensor or field, and says what was expected.
 */
public class ModelLoadException extends RuntimeException {
    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
