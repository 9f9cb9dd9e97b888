package io.yinghuo.retrieval.solr;

import java.io.IOException;

/**
 * Solr could not be reached or refused a request. What was being written was not committed and nothing was reported
 * done; the same request can be retried when Solr is back. The message names the collection, never credentials.
 */
public final class SolrUnavailableException extends IOException {

    public SolrUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
