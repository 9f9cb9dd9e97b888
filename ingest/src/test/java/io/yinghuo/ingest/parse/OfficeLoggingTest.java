package io.yinghuo.ingest.parse;

import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * POI logs through the Log4j API. Without a provider that API prints "could not find a logging provider" to standard
 * output (corrupting the CLI's --json output); the ingest module routes it to SLF4J instead.
 */
class OfficeLoggingTest {

    @Test
    void log4jApiIsRoutedToSlf4j() {
        String logger = LogManager.getLogger(OfficeLoggingTest.class).getClass().getName();
        assertTrue(logger.startsWith("org.apache.logging.slf4j."), logger);
    }
}
