package io.yinghuo.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.yinghuo.ingest.archfixture.IngestClassReachingTheEngine;
import io.yinghuo.retrieval.archfixture.RetrievalClassUsingOnnxRuntime;
import io.yinghuo.model.tokenizer.archfixture.TokenizerUsingLangChain4j;
import io.yinghuo.web.archfixture.WebClassUsingJCuda;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules can fail: each fixture breaks one rule, which reports the offending class, and only that rule. */
class DependencyRulesTest {
    @Test
    void ingestReachingTheEngineIsReported() {
        assertOnlyRuleBroken(IngestClassReachingTheEngine.class,
                DependencyRules.INGEST_AND_RETRIEVAL_DO_NOT_REACH_THE_ENGINE, "LlamaModel");
    }

    @Test
    void onnxRuntimeOutsideTheEmbeddingsModuleIsReported() {
        assertOnlyRuleBroken(RetrievalClassUsingOnnxRuntime.class,
                DependencyRules.ONNX_ONLY_IN_THE_EMBEDDINGS_MODULE, "OrtEnvironment");
    }

    @Test
    void solrJOutsideTheSolrBackendIsReported() {
        assertOnlyRuleBroken(io.yinghuo.retrieval.archfixture.RetrievalClassUsingSolrJ.class,
                DependencyRules.SOLR_ONLY_IN_ITS_BACKEND, "SolrQuery");
    }

    @Test
    void jcudaOutsideTheCudaBackendIsReported() {
        assertOnlyRuleBroken(WebClassUsingJCuda.class, DependencyRules.JCUDA_ONLY_IN_THE_CUDA_BACKEND, "CUdeviceptr");
    }

    @Test
    void engineUsingLangChain4jIsReported() {
        assertOnlyRuleBroken(TokenizerUsingLangChain4j.class,
                DependencyRules.ENGINE_KNOWS_NO_PROVIDER_BACKEND_OR_TEST_KIT, "TokenCountEstimator");
    }

    @Test
    void aBrokenRuleFailsTheCheckWithTheRuleAndTheClassNamed() {
        JavaClasses classes = new ClassFileImporter().importClasses(WebClassUsingJCuda.class);
        AssertionError failure = assertThrows(AssertionError.class,
                () -> DependencyRules.JCUDA_ONLY_IN_THE_CUDA_BACKEND.check(classes));
        assertTrue(failure.getMessage().contains("yinghuo-engine-cuda"), failure.getMessage());
        assertTrue(failure.getMessage().contains(WebClassUsingJCuda.class.getName()), failure.getMessage());
    }

    private static void assertOnlyRuleBroken(Class<?> fixture, ArchRule broken, String target) {
        JavaClasses classes = new ClassFileImporter().importClasses(fixture);
        for (ArchRule rule : DependencyRules.ALL) {
            // one fixture class leaves most rules with nothing to check: that is not what is under test here
            EvaluationResult result = rule.allowEmptyShould(true).evaluate(classes);
            if (rule == broken) {
                assertTrue(result.hasViolation(), rule.getDescription() + " did not report " + fixture.getName());
                assertTrue(result.getFailureReport().toString().contains(target), result.getFailureReport().toString());
            } else {
                assertFalse(result.hasViolation(), rule.getDescription() + " reported " + fixture.getName() + ": "
                        + result.getFailureReport());
            }
        }
    }
}
