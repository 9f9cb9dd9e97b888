package io.yinghuo.cli;

import io.yinghuo.web.IndexAddress;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --index}: parsing, and what a user sees when the Solr collection cannot be reached or named. */
class IndexOptionTest {

    @Test
    void embeddedIsTheDefaultAndSolrAddressesAreParsed() {
        assertTrue(IndexAddress.parse("embedded", Map.of()).embedded());
        assertTrue(IndexAddress.parse(null, Map.of()).embedded());
        IndexAddress solr = IndexAddress.parse("solr:http://search:8983/solr/kb", Map.of());
        assertFalse(solr.embedded());
        assertEquals("kb", solr.solr().collection());
        assertEquals("solr:http://search:8983/solr/kb", solr.toString());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> IndexAddress.parse("http://search:8983/solr/kb", Map.of()));
        assertTrue(bad.getMessage().contains("solr:http://host:8983/solr/COLLECTION"), bad.getMessage());
    }

    @Test
    void searchAgainstASolrThatIsDownSaysSoWithoutAStackTrace() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        CliRun.Result result = CliRun.run("search", "--no-vectors", "--index",
                "solr:http://u:secret@127.0.0.1:" + port + "/solr/kb", "长江");
        assertNotEquals(0, result.code());
        assertTrue(result.err().contains("solr:http://127.0.0.1:" + port + "/solr/kb"), result.err());
        assertTrue(result.err().contains("retry when it is reachable"), result.err());
        assertFalse(result.err().contains("secret"), "credentials never shown: " + result.err());
        assertFalse(result.err().contains("\tat "), "no stack trace: " + result.err());
    }

    @Test
    void solrInitRefusesAnEmbeddedIndex() {
        CliRun.Result result = CliRun.run("solr-init", "--index", "embedded");
        assertNotEquals(0, result.code());
        assertTrue(result.err().contains("solr-init needs --index solr:"), result.err());
    }
}
