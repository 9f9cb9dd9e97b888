package io.yinghuo.retrieval.analysis.segment;

import org.apache.lucene.analysis.cn.smart.HMMChineseTokenizer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.UncheckedIOException;

/**
 * smartcn's two dictionaries (the core word dictionary and the word-pair dictionary), read from the resources of
 * Lucene's smartcn jar and rebuilt once per JVM as {@link CoreWords} and {@link WordPairs}.
 *
 * <p>The resources are Java-serialized arrays (that is how smartcn ships them); they are read with a filter that
 * admits nothing but arrays of primitives, so the reader can never instantiate a class.
 */
final class SmartcnDictionaries {

    private static final String CORE_RESOURCE = "/org/apache/lucene/analysis/cn/smart/hhmm/coredict.mem";
    private static final String PAIR_RESOURCE = "/org/apache/lucene/analysis/cn/smart/hhmm/bigramdict.mem";

    private SmartcnDictionaries() {
    }

    static CoreWords coreWords() {
        return CoreHolder.WORDS;
    }

    static WordPairs wordPairs() {
        return PairHolder.PAIRS;
    }

    private static final class CoreHolder {
        static final CoreWords WORDS = loadCoreWords();
    }

    private static final class PairHolder {
        static final WordPairs PAIRS = loadWordPairs();
    }

    private static CoreWords loadCoreWords() {
        // Layout written by smartcn's WordDictionary: char hash table slots -> row, rows of sorted word tails.
        Object[] arrays = readArrays(CORE_RESOURCE, 4);
        return CoreWords.build((short[]) arrays[0], (char[]) arrays[1], (char[][][]) arrays[2], (int[][]) arrays[3]);
    }

    private static WordPairs loadWordPairs() {
        // Layout written by smartcn's BigramDictionary: a hash table of pair hashes and one of their frequencies.
        Object[] arrays = readArrays(PAIR_RESOURCE, 2);
        return WordPairs.build((long[]) arrays[0], (int[]) arrays[1]);
    }

    private static Object[] readArrays(String resource, int count) {
        try (InputStream raw = HMMChineseTokenizer.class.getResourceAsStream(resource)) {
            if (raw == null) {
                throw new IllegalStateException("smartcn dictionary " + resource + " not found on the class path");
            }
            ObjectInputStream in = new ObjectInputStream(new BufferedInputStream(raw, 1 << 16));
            in.setObjectInputFilter(SmartcnDictionaries::onlyPrimitiveArrays);
            Object[] arrays = new Object[count];
            for (int i = 0; i < count; i++) {
                arrays[i] = in.readObject();
            }
            return arrays;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read smartcn dictionary " + resource, e);
        } catch (ClassNotFoundException | ClassCastException e) {
            throw new IllegalStateException("smartcn dictionary " + resource + " has an unexpected layout", e);
        }
    }

    private static ObjectInputFilter.Status onlyPrimitiveArrays(ObjectInputFilter.FilterInfo info) {
        Class<?> type = info.serialClass();
        if (type == null) {
            return ObjectInputFilter.Status.UNDECIDED;
        }
        while (type.isArray()) {
            type = type.getComponentType();
        }
        return type.isPrimitive() ? ObjectInputFilter.Status.ALLOWED : ObjectInputFilter.Status.REJECTED;
    }
}
