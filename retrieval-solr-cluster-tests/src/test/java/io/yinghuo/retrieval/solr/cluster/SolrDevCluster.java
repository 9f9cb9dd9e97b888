package io.yinghuo.retrieval.solr.cluster;

import io.yinghuo.retrieval.solr.SolrLocation;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The test cluster as a process, for benchmarks and trying the app against SolrCloud without installing Solr:
 * two nodes, collection {@code args[1]} (2 shards × 2 replicas) under folder {@code args[0]}; prints the
 * {@code --index} address and runs until its standard input closes.
 *
 * <pre>
 * mvn -o -q -pl retrieval-solr-cluster-tests dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java -cp retrieval-solr-cluster-tests/target/test-classes:$(cat retrieval-solr-cluster-tests/cp.txt) \
 *     io.yinghuo.retrieval.solr.cluster.SolrDevCluster /tmp/solr-dev eval
 * </pre>
 */
public final class SolrDevCluster {

    private SolrDevCluster() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "solr-dev");
        String collection = args.length > 1 ? args[1] : "yinghuo";
        Files.createDirectories(dir);
        try (SolrTestCluster cluster = new SolrTestCluster(dir)) {
            SolrLocation location = cluster.createCollection(collection);
            System.out.println("--index " + location.display());
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until stdin closes
            }
        }
    }
}
