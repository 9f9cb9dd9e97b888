package io.yinghuo.ingest.parse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each refused document once, with the library's stack trace where one caused it. A refusal of a damaged or
 * hostile file is expected (the user sees our reason and text), so it goes to debug; a failure that did not start
 * in a parsing library is a bug of ours and goes to warn. Exists because PDFBox and POI on their own log each
 * problem of a damaged file, often with a trace: thousands of lines for one fuzzed upload (their loggers are quiet
 * in the application's logging configuration, and this one line stands for them).
 */
final class RefusalLog {

    private static final Logger LOG = LoggerFactory.getLogger(DocumentParsers.class);
    private static final String[] LIBRARIES = {"org.apache.", "com.fasterxml.", "org.jsoup.", "org.commonmark.",
            "com.ibm.icu.", "javax.imageio.", "com.sun.imageio.", "java.util.zip."};

    private RefusalLog() {
    }

    /** An expected refusal: logged at debug, with its cause's trace when there is one. */
    static DocumentParseException refused(DocumentParseException e) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("refused {}: {} ({})", e.fileName(), e.detail(), e.reason(), e.getCause());
        }
        return e;
    }

    /** A parser failed with an unexpected exception: debug when a library threw it, otherwise warn. */
    static DocumentParseException failed(DocumentParseException e) {
        if (thrownByLibrary(e.getCause())) {
            return refused(e);
        }
        LOG.warn("refused {}: an unexpected failure while parsing it", e.fileName(), e.getCause());
        return e;
    }

    /** Whether the innermost frame outside the JDK's core belongs to a parsing library. */
    static boolean thrownByLibrary(Throwable t) {
        if (t == null) {
            return false;
        }
        for (StackTraceElement frame : t.getStackTrace()) {
            String c = frame.getClassName();
            for (String library : LIBRARIES) {
                if (c.startsWith(library)) {
                    return true;
                }
            }
            if (!c.startsWith("java.") && !c.startsWith("jdk.") && !c.startsWith("sun.")) {
                return false;
            }
        }
        return false;
    }
}
