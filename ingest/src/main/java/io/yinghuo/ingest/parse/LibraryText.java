package io.yinghuo.ingest.parse;

import java.util.regex.Pattern;

/**
 * A parsing library's own explanation, made fit to show to a user: qualified Java names ("org.apache.x.Y",
 * "`StreamReadConstraints.getMaxNestingDepth()`") are removed, and the text is cut to a line. Used only where the
 * library's words help the user find the fault (Jackson's "Unexpected character ... at line 3"); elsewhere the
 * message is ours alone and the library's goes to the log.
 */
final class LibraryText {

    private static final int MAX_LENGTH = 200;
    private static final Pattern QUALIFIED_NAME = Pattern.compile(
            "`[^`]*`|\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:\\.[A-Za-z_][A-Za-z0-9_$]*)*(?:\\(\\))?");

    private LibraryText() {
    }

    static String plain(String message) {
        if (message == null) {
            return "";
        }
        String plain = QUALIFIED_NAME.matcher(message).replaceAll("").replaceAll("\\s+", " ").strip();
        return plain.length() <= MAX_LENGTH ? plain : plain.substring(0, MAX_LENGTH - 1) + "…";
    }
}
