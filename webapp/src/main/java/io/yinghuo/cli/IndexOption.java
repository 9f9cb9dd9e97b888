package io.yinghuo.cli;

import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.index.CollectionRecord;
import io.yinghuo.retrieval.index.IndexProfile;
import io.yinghuo.web.IndexAddress;
import picocli.CommandLine.Option;

import java.io.IOException;

/** {@code --index}: the embedded index of the data folder (default) or a SolrCloud collection. */
final class IndexOption {

    @Option(names = "--index", paramLabel = "ADDRESS", defaultValue = "embedded",
            description = "Index: embedded (the data folder's, default) or solr:http(s)://HOST:8983/solr/COLLECTION"
                    + " (basic auth: user:password@ in the URL or YINGHUO_SOLR_USER / YINGHUO_SOLR_PASSWORD; TLS"
                    + " trust store: YINGHUO_SOLR_TRUSTSTORE, YINGHUO_SOLR_TRUSTSTORE_PASSWORD).")
    String index;

    IndexAddress address() {
        return IndexAddress.parse(index, System.getenv());
    }

    /**
     * An index for an evaluation run: the fresh data folder's own, or the Solr collection, which must then hold no
     * document (an evaluation never mixes its documents with someone else's) and is emptied again when the run is
     * closed.
     */
    EvalStore openEmpty(DataFolder folder, IndexProfile profile) throws IOException {
        IndexAddress address = address();
        ChunkStore store = address.open(folder, profile);
        if (!address.embedded() && !store.documents().isEmpty()) {
            int documents = store.documents().size();
            store.close();
            throw new IllegalArgumentException("an evaluation needs an empty collection; " + address + " holds "
                    + documents + " documents");
        }
        return new EvalStore(store, !address.embedded());
    }

    /** An evaluation's index; closing it removes the evaluation's documents from a Solr collection. */
    record EvalStore(ChunkStore store, boolean clearOnClose) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try {
                if (clearOnClose) {
                    for (CollectionRecord collection : store.collections()) {
                        store.stageCollectionDelete(collection.name());
                    }
                    store.commit();
                }
            } finally {
                store.close();
            }
        }
    }
}
