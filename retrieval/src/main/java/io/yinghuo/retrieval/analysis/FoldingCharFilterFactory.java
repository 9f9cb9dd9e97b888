package io.yinghuo.retrieval.analysis;

import org.apache.lucene.analysis.CharFilterFactory;

import java.io.Reader;
import java.util.Map;

/**
 * {@link FoldingCharFilter} as a Lucene analysis factory (SPI name {@value #NAME}), so a search server that builds
 * its analyzers from factories (Solr's schema: {@code <charFilter class="io.yinghuo.retrieval.analysis.
 * FoldingCharFilterFactory"/>}) folds traditional to simplified Chinese exactly as the embedded index does.
 */
public final class FoldingCharFilterFactory extends CharFilterFactory {

    /** SPI name. */
    public static final String NAME = "yinghuoFold";

    public FoldingCharFilterFactory(Map<String, String> args) {
        super(args);
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("unknown parameters: " + args);
        }
    }

    /** For the SPI loader only. */
    public FoldingCharFilterFactory() {
        throw defaultCtorException();
    }

    @Override
    public Reader create(Reader input) {
        return new FoldingCharFilter(input);
    }

    @Override
    public Reader normalize(Reader input) {
        return create(input);
    }
}
