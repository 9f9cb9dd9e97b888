package io.yinghuo.retrieval.solr;

import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SolrLocationTest {

    @Test
    void parsesTheBaseUrlAndTheCollection() {
        SolrLocation location = SolrLocation.parse("solr:http://search-1:8983/solr/yinghuo", Map.of());
        assertEquals("http://search-1:8983/solr", location.baseUrl());
        assertEquals("yinghuo", location.collection());
        assertNull(location.user());
        assertEquals("solr:http://search-1:8983/solr/yinghuo", location.display());
        assertEquals(location.display(), location.toString());
        assertTrue(SolrLocation.isSolr("solr:http://search-1:8983/solr/yinghuo"));
        assertFalse(SolrLocation.isSolr("/data/yinghuo/index"), "a folder is the embedded index");
        assertFalse(SolrLocation.isSolr(null));
    }

    @Test
    void credentialsComeFromTheAddressOrTheEnvironmentAndNeverShow() {
        SolrLocation inline = SolrLocation.parse("solr:https://app:s%40cret@search:8983/solr/kb/", Map.of());
        assertEquals("app", inline.user());
        assertEquals("s@cret", inline.password());
        assertEquals("https://search:8983/solr", inline.baseUrl());
        assertFalse(inline.display().contains("cret"));
        assertFalse(inline.toString().contains("cret"));
        SolrLocation env = SolrLocation.parse("solr:https://search/solr/kb", Map.of("YINGHUO_SOLR_USER", "u",
                "YINGHUO_SOLR_PASSWORD", "p", "YINGHUO_SOLR_TRUSTSTORE", "/etc/ca.p12"));
        assertEquals("u", env.user());
        assertEquals("p", env.password());
        assertEquals(Path.of("/etc/ca.p12"), env.trustStore());
        SolrLocation userOnly = SolrLocation.parse("solr:https://app@search/solr/kb", Map.of("YINGHUO_SOLR_PASSWORD",
                "from-env"));
        assertEquals("app", userOnly.user());
        assertEquals("from-env", userOnly.password(), "a user in the address keeps the password of the environment");
    }

    @Test
    void badAddressesAreRefusedWithAMessage() {
        for (String bad : new String[]{"solr:ftp://h/solr/c", "solr:http://h:8983", "solr:http://h/solr/a b",
                "http://h/solr/c", "solr:http://h/solr/c!",
                "solr:http://h:8983/kb"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SolrLocation.parse(bad, Map.of()), bad);
            assertFalse(e.getMessage().isBlank());
        }
    }

    /**
     * Solr down: a clear, retryable error naming the collection. Also shows that the client runs with the JDK HTTP
     * client alone: this module's class path has no Jetty and no Apache HttpClient (the enforcer bans them).
     */
    @Test
    void anUnreachableSolrIsAClearRetryableError() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: nothing listens there
        }
        SolrLocation location = SolrLocation.parse("solr:http://127.0.0.1:" + port + "/solr/kb", Map.of());
        SolrUnavailableException e = assertThrows(SolrUnavailableException.class,
                () -> SolrChunkStore.open(location, false));
        assertTrue(e.getMessage().contains("solr:http://127.0.0.1:" + port + "/solr/kb"), e.getMessage());
        assertTrue(e.getMessage().contains("retry when it is reachable"), e.getMessage());
    }

    @Test
    void theConfigsetShipsItsFiles() throws Exception {
        String schema = new String(SolrCollectionSetup.configFile("schema.xml"), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(schema.contains("solr.HMMChineseTokenizerFactory"));
        assertTrue(schema.contains("io.yinghuo.retrieval.analysis.FoldingCharFilterFactory"));
        String config = new String(SolrCollectionSetup.configFile("solrconfig.xml"),
                java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(config.contains("ExactStatsCache"));
        assertTrue(SolrCollectionSetup.configsetZip().length > 1000);
    }
}
