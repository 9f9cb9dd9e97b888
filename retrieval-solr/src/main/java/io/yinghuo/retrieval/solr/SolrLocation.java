package io.yinghuo.retrieval.solr;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a SolrCloud collection is and how to reach it: {@code solr:http(s)://[user:password@]host:port/solr/COLLECTION}.
 * Basic-auth credentials come from the address or, kept out of command lines, from the environment
 * ({@code YINGHUO_SOLR_USER}, {@code YINGHUO_SOLR_PASSWORD}); for TLS with a private certificate authority a trust
 * store (PKCS12) can be given, otherwise the JVM's default trust store applies.
 *
 * @param baseUrl       the Solr base URL, e.g. {@code http://host:8983/solr}, without credentials
 * @param collection    the collection's name
 * @param user          basic-auth user, or null
 * @param password      basic-auth password, or null
 * @param trustStore    a PKCS12 trust store for TLS, or null
 * @param trustPassword its password, or null
 */
public record SolrLocation(String baseUrl, String collection, String user, String password, Path trustStore,
                           String trustPassword) {

    /** The scheme of an index address that names a Solr collection. */
    public static final String PREFIX = "solr:";

    public SolrLocation {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(collection, "collection");
        if (collection.isEmpty() || !collection.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("not a Solr collection name: '" + collection + "'");
        }
    }

    /** Whether {@code address} names a Solr collection (starts with {@value #PREFIX}). */
    public static boolean isSolr(String address) {
        return address != null && address.startsWith(PREFIX);
    }

    /**
     * Parses {@code solr:http(s)://[user:password@]host:port/solr/COLLECTION}; credentials missing from the address
     * are taken from the environment.
     *
     * @throws IllegalArgumentException with a message for the user when the address is not of that form
     */
    public static SolrLocation parse(String address, java.util.Map<String, String> environment) {
        if (!isSolr(address)) {
            throw new IllegalArgumentException("a Solr index address starts with solr:, got '" + address + "'");
        }
        URI uri;
        try {
            uri = new URI(address.substring(PREFIX.length()));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: '" + address + "' (" + e.getReason() + ")");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("expected solr:http://host:8983/solr/COLLECTION or solr:https://…,"
                    + " got '" + redact(address) + "'");
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
        int slash = path.lastIndexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("the address names no collection (…/solr/COLLECTION): '"
                    + redact(address) + "'");
        }
        String user = environment.get("YINGHUO_SOLR_USER");
        String password = environment.get("YINGHUO_SOLR_PASSWORD");
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : password;
        }
        String base = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
                + path.substring(0, slash);
        String trust = environment.get("YINGHUO_SOLR_TRUSTSTORE");
        return new SolrLocation(base, path.substring(slash + 1), user, password,
                trust == null || trust.isEmpty() ? null : Path.of(trust), environment.get("YINGHUO_SOLR_TRUSTSTORE_PASSWORD"));
    }

    /** The address without credentials, for messages and logs. */
    public String display() {
        return PREFIX + baseUrl + "/" + collection;
    }

    /** Replaces credentials in an address by "***". */
    static String redact(String address) {
        return address.replaceAll("//[^/@]*@", "//***@");
    }

    @Override
    public String toString() {
        return display();
    }
}
