package io.yinghuo.retrieval.solr;

import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.ConfigSetAdminRequest;
import org.apache.solr.common.util.ContentStreamBase;
import org.apache.solr.common.util.NamedList;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Creates the collection from the configset shipped in this jar ({@code configset/conf}: schema.xml with the
 * embedded index's fields and analysis, solrconfig.xml with explicit commits and ExactStatsCache), uploaded
 * through the Configsets API as {@value #CONFIGSET}. What {@code yinghuo solr-init} runs, and what the first
 * use of a missing collection runs with one shard and one replica.
 */
public final class SolrCollectionSetup {

    /** The configset's name in Solr. */
    public static final String CONFIGSET = "yinghuo-chunks-1";
    /** The files of the configset, under {@code configset/conf/} beside this class. */
    static final List<String> FILES = List.of("schema.xml", "solrconfig.xml");

    private final SolrAccess solr;

    SolrCollectionSetup(SolrAccess solr) {
        this.solr = solr;
    }

    /**
     * Creates {@code location}'s collection with {@code shards} shards of {@code replicas} replicas, uploading the
     * configset first when Solr does not have it. Does nothing when the collection exists.
     *
     * @return whether it created the collection
     */
    public static boolean ensure(SolrLocation location, int shards, int replicas) throws IOException {
        try (SolrAccess solr = new SolrAccess(location)) {
            SolrCollectionSetup setup = new SolrCollectionSetup(solr);
            if (setup.exists()) {
                return false;
            }
            setup.create(shards, replicas);
            return true;
        }
    }

    boolean exists() throws SolrUnavailableException {
        NamedList<Object> response = solr.request(new CollectionAdminRequest.List(), "list collections");
        Object names = response.get("collections");
        return names instanceof List<?> list && list.contains(solr.location().collection());
    }

    void create(int shards, int replicas) throws IOException {
        NamedList<Object> sets = solr.request(new ConfigSetAdminRequest.List(), "list configsets");
        Object names = sets.get("configSets");
        if (!(names instanceof List<?> list && list.contains(CONFIGSET))) {
            ConfigSetAdminRequest.Upload upload = new ConfigSetAdminRequest.Upload()
                    .setConfigSetName(CONFIGSET)
                    .setUploadStream(new ContentStreamBase.ByteArrayStream(configsetZip(), CONFIGSET + ".zip",
                            "application/zip"));
            solr.request(upload, "upload configset " + CONFIGSET);
        }
        CollectionAdminRequest.Create create = CollectionAdminRequest.createCollection(
                solr.location().collection(), CONFIGSET, shards, replicas);
        create.setRouterName("compositeId");
        solr.request(create, "create collection " + solr.location().collection());
    }

    /** The shipped configset as the zip the Configsets API takes (files at the zip's root). */
    static byte[] configsetZip() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (String file : FILES) {
                zip.putNextEntry(new ZipEntry(file));
                zip.write(configFile(file));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** One file of the shipped configset. */
    public static byte[] configFile(String name) throws IOException {
        try (InputStream in = SolrCollectionSetup.class.getResourceAsStream("configset/conf/" + name)) {
            if (in == null) {
                throw new IOException("configset file " + name + " missing from the jar");
            }
            return in.readAllBytes();
        }
    }
}
