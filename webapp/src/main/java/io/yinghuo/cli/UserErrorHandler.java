package io.yinghuo.cli;

import io.yinghuo.model.checkpoint.ModelLoadException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Turns the errors a user can cause (bad files, bad options) into one clear line on stderr and exit code 1 (2 for
 * an {@link OptionValueException}, a usage error as picocli's own); a stack trace is printed only when
 * {@code YINGHUO_DEBUG} is set.
 */
final class UserErrorHandler implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        String message = describe(ex);
        cmd.getErr().println("yinghuo " + cmd.getCommandName() + ": " + message);
        if (System.getenv("YINGHUO_DEBUG") != null) {
            ex.printStackTrace(cmd.getErr());
        }
        return ex instanceof OptionValueException ? CommandLine.ExitCode.USAGE : 1;
    }

    static String describe(Throwable ex) {
        if (ex instanceof ModelLoadException || ex instanceof IllegalArgumentException
                || ex instanceof IllegalStateException) {
            return ex.getMessage();
        }
        if (ex instanceof UncheckedIOException u) {
            return describe(u.getCause());
        }
        if (ex instanceof java.nio.file.NoSuchFileException e) {
            return "no such file: " + e.getFile();
        }
        if (ex instanceof IOException) {
            return ex.getClass().getSimpleName() + ": " + ex.getMessage();
        }
        return ex.toString();
    }
}
