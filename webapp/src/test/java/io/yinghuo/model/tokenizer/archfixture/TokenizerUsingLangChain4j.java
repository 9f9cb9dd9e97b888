package io.yinghuo.model.tokenizer.archfixture;

import dev.langchain4j.model.TokenCountEstimator;

/** Breaks a dependency rule on purpose: DependencyRulesTest shows the rule reports it. Never imported as production. */
public class TokenizerUsingLangChain4j {
    public int count(TokenCountEstimator estimator) {
        return estimator.estimateTokenCountInText("萤火");
    }
}
