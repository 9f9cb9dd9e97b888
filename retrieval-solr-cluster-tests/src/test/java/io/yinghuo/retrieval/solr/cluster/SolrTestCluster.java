package io.yinghuo.retrieval.solr.cluster;

import io.yinghuo.retrieval.solr.SolrCollectionSetup;
import io.yinghuo.retrieval.solr.SolrLocation;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.embedded.JettySolrRunner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An in-process SolrCloud of two nodes (ZooKeeper included) and a collection of two shards with two replicas each,
 * created the way {@code yinghuo solr-init} creates one (the shipped configset through the Configsets API).
 */
final class SolrTestCluster implements AutoCloseable {

    static final int SHARDS = 2;
    static final int REPLICAS = 2;

    final MiniSolrCloudCluster cluster;

    SolrTestCluster(Path dir) throws Exception {
        System.setProperty("solr.allowPaths", "*"); // the nodes' folders are under a JUnit temporary folder
        System.setProperty("jetty.testMode", "true");
        this.cluster = new MiniSolrCloudCluster.Builder(2, dir).build();
    }

    /** A new collection of {@link #SHARDS} shards × {@link #REPLICAS} replicas, reached through node 0. */
    SolrLocation createCollection(String name) throws Exception {
        SolrLocation location = location(0, name);
        SolrCollectionSetup.ensure(location, SHARDS, REPLICAS);
        cluster.waitForActiveCollection(name, 60, TimeUnit.SECONDS, SHARDS, SHARDS * REPLICAS);
        return location;
    }

    /** Waits until every replica of {@code name} is active again (after nodes were restarted). */
    void awaitActive(String name) throws InterruptedException {
        cluster.waitForActiveCollection(name, 120, TimeUnit.SECONDS, SHARDS, SHARDS * REPLICAS);
    }

    /** Stops every node (ZooKeeper keeps running): the whole index is unreachable. */
    List<JettySolrRunner> stopAllNodes() throws Exception {
        List<JettySolrRunner> nodes = new ArrayList<>(cluster.getJettySolrRunners());
        for (JettySolrRunner node : nodes) {
            cluster.stopJettySolrRunner(node);
            cluster.waitForJettyToStop(node);
        }
        return nodes;
    }

    /** Starts the stopped nodes again on their ports, so every address given out stays valid. */
    void startNodes(List<JettySolrRunner> nodes) throws Exception {
        for (JettySolrRunner node : nodes) {
            cluster.startJettySolrRunner(node, true);
        }
    }

    SolrLocation location(int node, String collection) {
        JettySolrRunner jetty = cluster.getJettySolrRunner(node);
        return SolrLocation.parse(SolrLocation.PREFIX + jetty.getBaseUrl() + "/" + collection, Map.of());
    }

    @Override
    public void close() throws Exception {
        cluster.shutdown();
    }
}
