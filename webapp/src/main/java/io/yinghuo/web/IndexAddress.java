package io.yinghuo.web;

import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.index.IndexProfile;
import io.yinghuo.retrieval.solr.SolrChunkStore;
import io.yinghuo.retrieval.solr.SolrLocation;

import java.io.IOException;
import java.util.Map;

/**
 * Which index the commands and the server use ({@code --index}): {@code embedded} (the default: the Lucene index in
 * the data folder) or {@code solr:http(s)://host:8983/solr/COLLECTION} (a SolrCloud collection; the data folder
 * then keeps only the originals, OCR word boxes and unfinished jobs).
 */
public record IndexAddress(SolrLocation solr) {

    public static final IndexAddress EMBEDDED = new IndexAddress(null);

    /**
     * Parses an {@code --index} value; credentials for Solr may come from the environment (see {@link SolrLocation}).
     *
     * @throws IllegalArgumentException with a message for the user
     */
    public static IndexAddress parse(String value, Map<String, String> environment) {
        if (value == null || value.isEmpty() || value.equals("embedded")) {
            return EMBEDDED;
        }
        if (!SolrLocation.isSolr(value)) {
            throw new IllegalArgumentException("--index takes 'embedded' or solr:http://host:8983/solr/COLLECTION,"
                    + " not '" + value + "'");
        }
        return new IndexAddress(SolrLocation.parse(value, environment));
    }

    public boolean embedded() {
        return solr == null;
    }

    /** Opens the index for writing (the embedded one in {@code data}, or the collection, created if missing). */
    public ChunkStore open(DataFolder data, IndexProfile profile) throws IOException {
        if (embedded()) {
            return ChunkIndex.open(data.index(), profile);
        }
        requireSolrProfile(profile);
        return SolrChunkStore.open(solr, false);
    }

    /** Opens the index for searching only. */
    public ChunkStore openReadOnly(DataFolder data) throws IOException {
        return embedded() ? ChunkIndex.openReadOnly(data.index()) : SolrChunkStore.open(solr, true);
    }

    private static void requireSolrProfile(IndexProfile profile) {
        if (profile != IndexProfile.CHINESE_HYBRID) {
            throw new IllegalArgumentException("a Solr collection holds the " + IndexProfile.CHINESE_HYBRID.label()
                    + " profile only, not " + profile.label());
        }
    }

    @Override
    public String toString() {
        return embedded() ? "embedded" : solr.display();
    }
}
