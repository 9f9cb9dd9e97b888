package io.yinghuo.cli;

import io.yinghuo.retrieval.solr.SolrCollectionSetup;
import io.yinghuo.web.IndexAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.concurrent.Callable;

/** Creates the SolrCloud collection of {@code --index} from the configset shipped with Yinghuo. */
@Command(name = "solr-init",
        mixinStandardHelpOptions = true,
        description = {
            "Creates a SolrCloud collection for Yinghuo (uploads the configset " + SolrCollectionSetup.CONFIGSET
                    + " when missing); does nothing when the collection exists.",
            "Solr needs yinghuo-retrieval's jar on its class path (the traditional->simplified fold; README,"
                    + " \"Scaling out\")."})
public final class SolrInitCommand implements Callable<Integer> {

    @Option(names = "--index", paramLabel = "ADDRESS", required = true,
            description = "solr:http(s)://HOST:8983/solr/COLLECTION (credentials as for serve --index).")
    String index;

    @Option(names = "--shards", paramLabel = "N", defaultValue = "2", description = "Shards. Default: 2")
    int shards;

    @Option(names = "--replicas", paramLabel = "N", defaultValue = "2",
            description = "Replicas of each shard (NRT). Default: 2")
    int replicas;

    @Override
    public Integer call() throws IOException {
        IndexAddress address = IndexAddress.parse(index, System.getenv());
        if (address.embedded()) {
            throw new IllegalArgumentException("solr-init needs --index solr:http://HOST:8983/solr/COLLECTION");
        }
        if (shards < 1 || replicas < 1) {
            throw new IllegalArgumentException("--shards and --replicas must be at least 1");
        }
        boolean created = SolrCollectionSetup.ensure(address.solr(), shards, replicas);
        Utf8Output.stdout().println(created
                ? "created " + address + " (" + shards + " shards x " + replicas + " replicas, configset "
                        + SolrCollectionSetup.CONFIGSET + ")"
                : address + " exists; nothing changed");
        return 0;
    }
}
