package io.yinghuo.cli;

/**
 * Keeps library logging off standard output. POI (used by the document parsers) logs through the Log4j API, and
 * without a Log4j backend the API prints "Log4j API could not find a logging provider" to standard output, which
 * would corrupt {@code --json} output. Its status logger is switched off unless the user configured it.
 */
final class LibraryLogging {

    private static final String STATUS_LEVEL = "log4j2.statusLoggerLevel";

    private LibraryLogging() {
    }

    static void quiet() {
        if (System.getProperty(STATUS_LEVEL) == null) {
            System.setProperty(STATUS_LEVEL, "OFF");
        }
    }
}
