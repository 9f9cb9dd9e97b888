package io.yinghuo.retrieval.rag;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AugmentorFactoryTest {

    private static AugmentorFactory withMaxPassages(int maxPassages) {
        return new AugmentorFactory(null, List::of, null, KeyTerms.BIGRAMS, 4096, 8, maxPassages, 0.35,
                PartQuotaContentAggregator.DEFAULT_MIN_SIMILARITY);
    }

    @Test
    void theRequestsNumberOfPassagesWinsInEveryMode() {
        AskRequest three = AskRequest.ask("长江").withMaxSources(3);
        assertEquals(3, withMaxPassages(16).maxContents(three));
        assertEquals(3, withMaxPassages(16).maxContents(three.withMode(AskMode.SEARCH)));
    }

    @Test
    void otherwiseTheServicesMostAndSearchModeAtLeastItsDefaultResults() {
        AskRequest ask = AskRequest.ask("长江");
        assertEquals(16, withMaxPassages(16).maxContents(ask));
        assertEquals(2, withMaxPassages(2).maxContents(ask));
        assertEquals(16, withMaxPassages(16).maxContents(ask.withMode(AskMode.SEARCH)));
        assertEquals(AskRequest.DEFAULT_SEARCH_RESULTS, withMaxPassages(2).maxContents(ask.withMode(AskMode.SEARCH)));
    }
}
