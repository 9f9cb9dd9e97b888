package io.yinghuo.retrieval.index;

import java.util.TreeMap;

/**
 * The staging operations under way, so that a commit can wait for those that began before its commit point was
 * taken.
 *
 * <p>A staging hands its change to Lucene's {@code IndexWriter}, gets the change's sequence number back and only then
 * records what the change means for the catalogue. {@code IndexWriter.prepareCommit} returns the sequence number of
 * the last operation its commit holds ("all sequence numbers &lt;= this value will be reflected in the commit", its
 * javadoc), and that can include an operation whose thread has not recorded it yet. A commit that applied the
 * recorded changes at once would publish a searcher holding a document that the catalogue lacks until the next
 * commit. An operation that begins after {@code prepareCommit} returned is never in that commit, so a commit waits
 * only for the operations begun before it asked, never for the stream of stagings that goes on meanwhile.
 *
 * <p>Operations are counted per epoch; {@link #awaitBegunBefore} starts a new epoch and waits until none of the
 * earlier ones is open. The wait is not interruptible: a prepared commit must be finished, and the operations it
 * waits for are running, not waiting on it.
 */
final class StagingsInFlight {

    private long epoch;
    /** Open operations by the epoch they began in (absent: none). */
    private final TreeMap<Long, Integer> open = new TreeMap<>();

    /** Marks an operation begun; pass the returned ticket to {@link #end}. */
    synchronized long begin() {
        open.merge(epoch, 1, Integer::sum);
        return epoch;
    }

    /** Marks the operation with this ticket ended (its change recorded, or failed). */
    synchronized void end(long ticket) {
        Integer count = open.get(ticket);
        if (count == null) {
            throw new IllegalStateException("no staging open with ticket " + ticket);
        }
        if (count == 1) {
            open.remove(ticket);
            notifyAll();
        } else {
            open.put(ticket, count - 1);
        }
    }

    /** Waits until every operation begun before this call has ended; those begun from now on are not waited for. */
    synchronized void awaitBegunBefore() {
        long before = epoch++;
        boolean interrupted = false;
        while (!open.headMap(before, true).isEmpty()) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
