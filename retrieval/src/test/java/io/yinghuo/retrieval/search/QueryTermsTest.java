package io.yinghuo.retrieval.search;

import io.yinghuo.retrieval.index.IndexProfile;
import io.yinghuo.retrieval.index.WeightedTerm;
import org.apache.lucene.analysis.Analyzer;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A question's terms per search field: how often each is asked, and the cap that keeps a pasted page searchable. */
class QueryTermsTest {

    private static final IndexProfile PROFILE = IndexProfile.CHINESE_HYBRID;

    private static QueryTerms analyze(String text) {
        Map<String, Analyzer> analyzers = new HashMap<>();
        for (IndexProfile.SearchField field : PROFILE.searchFields()) {
            analyzers.put(field.name(), PROFILE.fieldAnalyzer(field.name()));
        }
        return QueryTerms.analyze(PROFILE, analyzers, text);
    }

    @Test
    void aTermAskedTwiceWeighsTwiceItsFieldsWeight() {
        QueryTerms terms = analyze("alpha beta alpha");
        boolean checked = false;
        for (IndexProfile.SearchField field : PROFILE.searchFields()) {
            Map<String, Integer> counts = terms.terms(field.name());
            if (counts.getOrDefault("alpha", 0) == 2 && counts.getOrDefault("beta", 0) == 1) {
                assertTrue(terms.weighted().contains(new WeightedTerm(field.name(), "alpha", field.weight() * 2)),
                        terms.weighted().toString());
                assertTrue(terms.weighted().contains(new WeightedTerm(field.name(), "beta", field.weight())),
                        terms.weighted().toString());
                checked = true;
            }
        }
        assertTrue(checked, "some field keeps Latin words whole: " + terms);
    }

    @Test
    void aPastedPageKeepsItsFirstFourHundredTermsPerFieldAndStillCountsThem() {
        StringBuilder page = new StringBuilder("alpha");
        for (int i = 0; i < 600; i++) {
            page.append(" w").append(i);
        }
        page.append(" alpha");
        QueryTerms terms = analyze(page.toString());
        boolean capped = false;
        for (IndexProfile.SearchField field : PROFILE.searchFields()) {
            Map<String, Integer> counts = terms.terms(field.name());
            assertTrue(counts.size() <= QueryTerms.MAX_TERMS_PER_FIELD, field.name() + ": " + counts.size());
            if (counts.size() == QueryTerms.MAX_TERMS_PER_FIELD && counts.containsKey("alpha")) {
                assertEquals(2, counts.get("alpha"), "a term already taken is still counted past the cap");
                assertFalse(counts.containsKey("w599"), "a new term past the cap is left out");
                capped = true;
            }
        }
        assertTrue(capped, "some field reached the cap");
    }

    @Test
    void punctuationAloneHasNoTerms() {
        assertTrue(analyze("？！。，").isEmpty());
        assertFalse(analyze("长江").isEmpty());
        assertEquals(Map.of(), analyze("长江").terms("no-such-field"));
    }
}
