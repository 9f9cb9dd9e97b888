package io.yinghuo.retrieval.index;

import io.yinghuo.retrieval.vectors.VectorSpace;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * The committed chunks as one search reads them: keyword and vector rankings, the stored chunks of the ranked keys
 * and the term statistics. Keys ({@link ChunkScore#key}) are valid within the snapshot that returned them.
 */
public interface SearchSnapshot extends Closeable {

    /**
     * The chunks matching any of {@code terms}, best BM25 first (each term's score multiplied by its boost and
     * summed, with the statistics of the whole index), at most {@code n}.
     */
    List<ChunkScore> lexical(List<WeightedTerm> terms, SearchScope scope, int n) throws IOException;

    /**
     * The chunks whose vectors of {@code space} are nearest to {@code vector} (unit length), best first, at most
     * {@code n}, with their cosine similarity as score; {@code beam} is how many neighbours an approximate search
     * collects before the best {@code n} are taken.
     */
    List<ChunkScore> nearest(VectorSpace space, float[] vector, SearchScope scope, int n, int beam)
            throws IOException;

    /** The vector of {@code space} a ranked chunk carries, or null when its document has none of that space. */
    float[] vector(String key, VectorSpace space) throws IOException;

    /** The stored chunks of these keys, in the same order. */
    List<IndexedChunk> chunks(List<String> keys) throws IOException;

    /** How many chunks have the search field {@code field} (BM25's N). */
    long documentCount(String field) throws IOException;

    /** How many chunks contain {@code term} in the search field {@code field} (BM25's df). */
    long documentFrequency(String field, String term) throws IOException;

    /**
     * {@link #documentFrequency} of each term, in order. A remote index answers all of them in one request (a
     * question's key terms are weighed on every ask); this default asks term by term.
     */
    default long[] documentFrequencies(String field, List<String> terms) throws IOException {
        long[] frequencies = new long[terms.size()];
        for (int i = 0; i < frequencies.length; i++) {
            frequencies[i] = documentFrequency(field, terms.get(i));
        }
        return frequencies;
    }

    @Override
    void close() throws IOException;
}
