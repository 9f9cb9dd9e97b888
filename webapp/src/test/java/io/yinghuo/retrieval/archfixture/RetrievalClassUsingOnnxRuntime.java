package io.yinghuo.retrieval.archfixture;

import ai.onnxruntime.OrtEnvironment;

/** Breaks a dependency rule on purpose: DependencyRulesTest shows the rule reports it. Never imported as production. */
public class RetrievalClassUsingOnnxRuntime {
    public String name(OrtEnvironment environment) {
        return String.valueOf(environment);
    }
}
