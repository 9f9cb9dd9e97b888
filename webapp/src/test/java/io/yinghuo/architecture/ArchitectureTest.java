package io.yinghuo.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every production class of every module (the webapp's test class path holds them all) obeys DependencyRules. */
class ArchitectureTest {
    static final List<ArchRule> RULES = DependencyRules.ALL;
    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.yinghuo");
        Set<String> packages = new TreeSet<>();
        production.forEach(c -> packages.add(c.getPackageName()));
        // a rule over an empty or partial import proves nothing: every module's packages must be there
        for (String expected : List.of("io.yinghuo.model.checkpoint", "io.yinghuo.model.tokenizer",
                "io.yinghuo.model.synth", "io.yinghuo.model.engine.cpu", "io.yinghuo.model.engine.cpu.vector",
                "io.yinghuo.model.engine.cuda", "io.yinghuo.model.langchain4j", "io.yinghuo.retrieval.rag",
                "io.yinghuo.ingest.pipeline", "io.yinghuo.embeddings", "io.yinghuo.embeddings.rerank", "io.yinghuo.web",
                "io.yinghuo.cli")) {
            assertTrue(packages.contains(expected), expected + " was not imported; imported: " + packages);
        }
        assertTrue(packages.stream().noneMatch(p -> p.equals("io.yinghuo.architecture") || p.endsWith(".archfixture")),
                "test classes imported: " + packages);
    }

    @ParameterizedTest
    @FieldSource("RULES")
    void productionCodeObeys(ArchRule rule) {
        rule.check(production);
    }
}
