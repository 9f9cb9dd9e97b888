package io.yinghuo.retrieval.solr;

import io.yinghuo.retrieval.index.IndexUnavailableException;

/**
 * Solr could not be reached or refused a request. What was being written was not committed and nothing was reported
 * done; the same request can be retried when Solr is back. The message names the collection, never credentials.
 */
public final class SolrUnavailableException extends IndexUnavailableException {

    public SolrUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
