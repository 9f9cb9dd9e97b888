package io.yinghuo.retrieval.solr;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The Solr backend talks HTTP through the JDK's client ({@code HttpJdkSolrClient}), so an application using it
 * carries no Jetty client beside the web app's own server. Its own class (not a method of {@code SolrLocationTest}):
 * the cluster tests' class path has Jetty for the in-process SolrCloud, and the mutation run of this module's classes
 * there takes {@code SolrLocationTest} along.
 */
class JettyFreeClassPathTest {

    @Test
    void theBackendNeedsNoJettyClient() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.eclipse.jetty.client.HttpClient"));
    }
}
