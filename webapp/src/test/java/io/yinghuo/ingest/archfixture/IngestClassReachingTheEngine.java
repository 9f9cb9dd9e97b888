package io.yinghuo.ingest.archfixture;

import io.yinghuo.model.runtime.LlamaModel;

/** Breaks a dependency rule on purpose: DependencyRulesTest shows the rule reports it. Never imported as production. */
public class IngestClassReachingTheEngine {
    public String name(LlamaModel model) {
        return String.valueOf(model);
    }
}
