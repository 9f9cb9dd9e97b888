package io.yinghuo.retrieval.index;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.AnalyzerWrapper;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexOptions;

import java.util.HashSet;
import java.util.Set;

/**
 * How the search fields of an index are written. An index keeps the schema it was created with (in its commit
 * data), so indexes written by earlier versions stay readable and writable without re-ingesting anything.
 */
enum IndexSchema {

    /** Search fields with positions (the first version; nothing ever queried them). */
    V1("1", IndexOptions.DOCS_AND_FREQS_AND_POSITIONS),

    /**
     * Search fields with term frequencies but no positions. BM25 needs only frequencies and norms, no query uses
     * phrases or spans, and highlighting re-analyzes the stored text; not writing positions saves about a tenth of
     * the ingest CPU (bench-ingest, BENCHMARKS.md).
     */
    V2("2", IndexOptions.DOCS_AND_FREQS);

    /** The schema of new indexes. */
    static final IndexSchema CURRENT = V2;

    private final String label;
    private final FieldType searchFieldType;

    IndexSchema(String label, IndexOptions searchFieldOptions) {
        this.label = label;
        FieldType type = new FieldType(TextField.TYPE_NOT_STORED);
        type.setIndexOptions(searchFieldOptions);
        type.freeze();
        this.searchFieldType = type;
    }

    String label() {
        return label;
    }

    /**
     * The analyzer that writes the search fields: the profile's; without positions, each distinct term of a chunk
     * goes to Lucene once with its count ({@link DistinctTermsFilter}).
     */
    Analyzer indexAnalyzer(IndexProfile profile) {
        Analyzer perField = profile.indexAnalyzer();
        if (searchFieldType.indexOptions() != IndexOptions.DOCS_AND_FREQS) {
            return perField; // term counts given as frequencies require a field without positions
        }
        Set<String> searchFields = new HashSet<>();
        profile.searchFields().forEach(field -> searchFields.add(field.name()));
        return new AnalyzerWrapper(Analyzer.PER_FIELD_REUSE_STRATEGY) {
            @Override
            protected Analyzer getWrappedAnalyzer(String fieldName) {
                return perField;
            }

            @Override
            protected TokenStreamComponents wrapComponents(String fieldName, TokenStreamComponents components) {
                if (!searchFields.contains(fieldName)) {
                    return components;
                }
                return new TokenStreamComponents(components.getSource(),
                        new DistinctTermsFilter(components.getTokenStream()));
            }
        };
    }

    /** The Lucene field type of the analyzed search fields (words, bigrams). */
    FieldType searchFieldType() {
        return searchFieldType;
    }

    /**
     * The schema named in an index's commit data; indexes from before schemas were recorded are {@link #V1}.
     *
     * @throws IllegalArgumentException for a schema this version does not know (an index from a newer version)
     */
    static IndexSchema fromCommitData(String label, Object index) {
        if (label == null) {
            return V1;
        }
        for (IndexSchema schema : values()) {
            if (schema.label.equals(label)) {
                return schema;
            }
        }
        throw new IllegalArgumentException("the index " + index + " has schema " + label + ", which this version"
                + " cannot write (it knows schemas 1 and 2); use the version that created it or a new data folder");
    }
}
