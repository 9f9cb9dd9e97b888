package io.yinghuo.retrieval.index;

import io.yinghuo.retrieval.analysis.ChineseAnalyzers;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which searchable fields an index has and how a chunk is turned into them. An index remembers its profile in its
 * commit data and refuses to be opened with another one.
 */
public enum IndexProfile {

    /**
     * The retrieval index: smartcn words and character bigrams of the folded (simplified) text, both queried. The
     * document title and the chunk's heading path are indexed with every chunk, because a chunk often does not
     * repeat the name of what it talks about ("它位于…"); BENCHMARKS.md has the retrieval figures with this profile
     * (eval-retrieval against the bigram baseline).
     */
    CHINESE_HYBRID("smartcn+bigram", true, true,
            List.of(new SearchField(IndexFields.WORDS, 1.0f), new SearchField(IndexFields.BIGRAMS, 1.0f))),

    /**
     * Baseline for measurements: Lucene's stock CJKAnalyzer over the chunk text alone, one field, the question as
     * one OR query (no compound-question splitting).
     */
    CJK_BIGRAM_BASELINE("cjk-bigram-baseline", false, false, List.of(new SearchField(IndexFields.CJK, 1.0f)));

    /** A searchable field and its weight in the query. */
    public record SearchField(String name, float weight) {
    }

    private final String label;
    private final boolean contextInChunk;
    private final boolean splitsCompoundQuestions;
    private final List<SearchField> searchFields;

    IndexProfile(String label, boolean contextInChunk, boolean splitsCompoundQuestions,
                 List<SearchField> searchFields) {
        this.label = label;
        this.contextInChunk = contextInChunk;
        this.splitsCompoundQuestions = splitsCompoundQuestions;
        this.searchFields = searchFields;
    }

    /** Short name used in reports and in the commit data. */
    public String label() {
        return label;
    }

    /** Whether searches answer compound questions part by part (see {@code CompoundQuestionSplitter}). */
    public boolean splitsCompoundQuestions() {
        return splitsCompoundQuestions;
    }

    public List<SearchField> searchFields() {
        return searchFields;
    }

    /** The text analyzed into the search fields for one chunk. */
    public String indexedText(DocumentRecord document, ChunkRecord chunk) {
        if (!contextInChunk) {
            return chunk.text();
        }
        StringBuilder text = new StringBuilder(document.title().length() + chunk.headingPath().length()
                + chunk.text().length() + 2);
        text.append(document.title()).append('\n');
        String heading = chunk.headingPath();
        if (!heading.isEmpty() && !heading.equals(document.title())) {
            text.append(heading).append('\n');
        }
        return text.append(chunk.text()).toString();
    }

    /** Analyzer of one search field. */
    public Analyzer fieldAnalyzer(String field) {
        return switch (field) {
            case IndexFields.WORDS -> ChineseAnalyzers.words();
            case IndexFields.BIGRAMS -> ChineseAnalyzers.bigrams();
            case IndexFields.CJK -> ChineseAnalyzers.baselineBigrams();
            default -> throw new IllegalArgumentException("not a search field of " + label + ": " + field);
        };
    }

    /** The index-time analyzer: each search field with its own analyzer. */
    public Analyzer indexAnalyzer() {
        Map<String, Analyzer> perField = new HashMap<>();
        for (SearchField field : searchFields) {
            perField.put(field.name(), fieldAnalyzer(field.name()));
        }
        return new PerFieldAnalyzerWrapper(new KeywordAnalyzer(), perField);
    }

    public static IndexProfile fromLabel(String label) {
        for (IndexProfile profile : values()) {
            if (profile.label.equals(label)) {
                return profile;
            }
        }
        throw new IllegalArgumentException("unknown index profile: " + label);
    }
}
