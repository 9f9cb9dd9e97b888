package io.yinghuo.retrieval.solr.cluster;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One {@link SolrTestCluster} for every test class of the forked test JVM that asks for it (a parameter of type
 * {@link SolrTestCluster}, in {@code @BeforeAll} or a test): starting the two nodes and ZooKeeper takes about
 * 10–15 s on the 2-core development machine, so the classes share one start, each in collections of its own. The
 * cluster is shut down and its folder deleted when the last test of the JVM has run. A class that stops nodes must
 * start them again before it ends.
 */
final class SharedSolrCluster implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            SharedSolrCluster.class);

    /** The cluster and its folder, closed by JUnit with the root context (after every class of the JVM). */
    private static final class Resource implements ExtensionContext.Store.CloseableResource {
        final Path dir;
        final SolrTestCluster cluster;

        Resource() {
            try {
                dir = Files.createTempDirectory("yinghuo-solr-cluster");
                long startNanos = System.nanoTime();
                cluster = new SolrTestCluster(dir);
                System.out.printf("SharedSolrCluster: 2 nodes started in %.1f s%n",
                        (System.nanoTime() - startNanos) / 1e9);
            } catch (Exception e) {
                throw new IllegalStateException("the test SolrCloud did not start", e);
            }
        }

        @Override
        public void close() throws Exception {
            try {
                cluster.close();
            } catch (Exception e) {
                // Every test has run and passed or failed on its own by now; a node that does not stop within
                // Jetty's graceful-stop timeout must not turn into a failure of the whole run.
                System.err.println("SharedSolrCluster: shutdown: " + e + (e.getSuppressed().length > 0
                        ? " (" + e.getSuppressed()[0] + ")" : ""));
            } finally {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(SharedSolrCluster::delete);
                }
            }
        }
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SolrTestCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Resource.class, k -> new Resource(), Resource.class).cluster;
    }
}
