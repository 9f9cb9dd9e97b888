package io.yinghuo.web.generation.remote;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chooses the endpoint for a request: among those available and not yet tried for it, the one with the fewest
 * requests in flight ("least outstanding requests", as Envoy and AWS ALB call it). Generations differ in length by
 * orders of magnitude, so counting what is in flight spreads load better than taking turns; ties go round-robin so
 * that idle endpoints share the load evenly.
 *
 * @see <a href=
 *      "https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/load_balancing/load_balancers">
 *      Envoy load balancers: least request</a>
 */
final class LeastOutstandingPicker {

    private final List<RemoteEndpoint> endpoints;
    private final AtomicInteger nextTie = new AtomicInteger();

    LeastOutstandingPicker(List<RemoteEndpoint> endpoints) {
        this.endpoints = List.copyOf(endpoints);
    }

    /**
     * Takes the best endpoint and counts the request on it ({@link RemoteEndpoint#acquire}) in one step, so that two
     * requests arriving together see each other; null when none is available.
     */
    synchronized RemoteEndpoint acquire(Set<RemoteEndpoint> tried) {
        int start = Math.floorMod(nextTie.getAndIncrement(), endpoints.size());
        RemoteEndpoint best = null;
        for (int i = 0; i < endpoints.size(); i++) {
            RemoteEndpoint e = endpoints.get((start + i) % endpoints.size());
            if (tried.contains(e) || !e.available()) {
                continue;
            }
            if (best == null || e.outstanding() < best.outstanding()) {
                best = e;
            }
        }
        if (best != null) {
            best.acquire();
        }
        return best;
    }

    List<RemoteEndpoint> endpoints() {
        return endpoints;
    }
}
