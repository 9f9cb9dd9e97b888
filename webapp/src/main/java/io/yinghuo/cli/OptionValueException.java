package io.yinghuo.cli;

/**
 * An option's value that cannot be used (e.g. {@code --reranker} naming a folder without a model): a usage error,
 * so {@link UserErrorHandler} reports it in one line with exit code 2, as picocli reports the values it rejects
 * itself, where other failures exit with 1.
 */
final class OptionValueException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    OptionValueException(String message, Throwable cause) {
        super(message, cause);
    }
}
