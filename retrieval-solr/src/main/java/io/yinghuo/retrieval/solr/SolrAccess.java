package io.yinghuo.retrieval.solr;

import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.HttpJdkSolrClient;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.client.solrj.util.ClientUtils;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.params.CursorMarkParams;
import org.apache.solr.common.util.NamedList;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The HTTP side of the Solr backend: one {@link HttpJdkSolrClient} (the JDK's HTTP client, so no second HTTP stack
 * beside the web app's), queries with failures turned into {@link SolrUnavailableException}, and paging.
 */
final class SolrAccess implements AutoCloseable {

    private static final int PAGE = 1000;

    private final SolrLocation location;
    private final SolrClient client;

    SolrAccess(SolrLocation location) {
        this.location = location;
        HttpJdkSolrClient.Builder builder = new HttpJdkSolrClient.Builder(location.baseUrl())
                .withDefaultCollection(location.collection())
                .withConnectionTimeout(5, TimeUnit.SECONDS)
                .withRequestTimeout(120, TimeUnit.SECONDS)
                .withIdleTimeout(120, TimeUnit.SECONDS)
                // HTTP/1.1 on plain http: the JDK client's h2c upgrade is not worth a round trip to a LAN server
                .useHttp1_1(location.baseUrl().startsWith("http:"));
        if (location.user() != null) {
            builder.withBasicAuthCredentials(location.user(), location.password() == null ? "" : location.password());
        }
        if (location.trustStore() != null) {
            builder.withSSLContext(sslContext(location));
        }
        this.client = builder.build();
    }

    private static SSLContext sslContext(SolrLocation location) {
        try (InputStream in = Files.newInputStream(location.trustStore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            char[] password = location.trustPassword() == null ? null : location.trustPassword().toCharArray();
            store.load(in, password);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[0], trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the trust store " + location.trustStore() + ": "
                    + e.getMessage(), e);
        }
    }

    SolrLocation location() {
        return location;
    }

    QueryResponse query(SolrQuery query) throws SolrUnavailableException {
        try {
            return client.query(query, SolrRequest.METHOD.POST);
        } catch (SolrServerException | IOException | SolrException e) {
            throw unavailable("search", e);
        }
    }

    /** As {@link #query}, for the catalogue methods that declare no checked exception. */
    QueryResponse queryUnchecked(SolrQuery query) {
        try {
            return query(query);
        } catch (SolrUnavailableException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    NamedList<Object> request(SolrRequest<?> request, String what) throws SolrUnavailableException {
        try {
            return client.request(request);
        } catch (SolrServerException | IOException | SolrException e) {
            throw unavailable(what, e);
        }
    }

    SolrUnavailableException unavailable(String what, Exception e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        // The JDK client's ConnectException has no message: say what it means instead of its class name.
        String reason = e instanceof SolrException solr ? "Solr answered " + solr.code() + ": " + solr.getMessage()
                : cause instanceof java.net.ConnectException ? "connection refused" : cause.toString();
        return new SolrUnavailableException("the Solr collection " + location.display() + " failed (" + what
                + "); nothing was committed, retry when it is reachable: " + SolrLocation.redact(reason), e);
    }

    /** Every document matching {@code query} (cursor paging, sorted by {@code sort} then id). */
    List<SolrDocument> all(SolrQuery query, String sort) {
        query.setRows(PAGE);
        query.set("sort", (sort == null ? "" : sort + ",") + "id asc");
        String cursor = CursorMarkParams.CURSOR_MARK_START;
        List<SolrDocument> all = new ArrayList<>();
        while (true) {
            query.set(CursorMarkParams.CURSOR_MARK_PARAM, cursor);
            QueryResponse response = queryUnchecked(query);
            all.addAll(response.getResults());
            String next = response.getNextCursorMark();
            if (next == null || next.equals(cursor)) {
                return all;
            }
            cursor = next;
        }
    }

    /** A disjunction of exact values of a string field, escaped. */
    static String anyOf(String field, Collection<String> values) {
        return field + ":(" + values.stream().map(v -> "\"" + ClientUtils.escapeQueryChars(v) + "\"")
                .collect(Collectors.joining(" OR ")) + ")";
    }

    /** One exact value of a string field, escaped. */
    static String is(String field, String value) {
        return field + ":\"" + ClientUtils.escapeQueryChars(value) + "\"";
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
