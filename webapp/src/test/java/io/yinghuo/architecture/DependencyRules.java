package io.yinghuo.architecture;

import com.tngtech.archunit.lang.ArchRule;

import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * What may depend on what, as rules on compiled classes (ARCHITECTURE.md draws the same picture). The Maven enforcer
 * bans the matching artifacts; these rules also catch a package reaching past its module's own dependencies, e.g.
 * through a class that happens to be on the class path transitively.
 */
final class DependencyRules {
    /** The engine proper: formats, tokenizer, weights, the forward pass, generation, chat templates, backend choice. */
    static final String[] ENGINE = {
            "io.yinghuo.model.checkpoint..", "io.yinghuo.model.config..", "io.yinghuo.model.util..",
            "io.yinghuo.model.tokenizer..", "io.yinghuo.model.weights..", "io.yinghuo.model.engine",
            "io.yinghuo.model.engine.cpu", "io.yinghuo.model.engine.rope", "io.yinghuo.model.generate..",
            "io.yinghuo.model.chat..", "io.yinghuo.model.runtime.."};
    static final String CUDA_BACKEND = "io.yinghuo.model.engine.cuda..";
    static final String VECTOR_KERNELS = "io.yinghuo.model.engine.cpu.vector..";

    static final ArchRule JCUDA_ONLY_IN_THE_CUDA_BACKEND = noClasses()
            .that().resideOutsideOfPackage(CUDA_BACKEND)
            .should().dependOnClassesThat().resideInAPackage("jcuda..")
            .because("JCuda and its natives ship only with yinghuo-engine-cuda");

    static final ArchRule VECTOR_API_ONLY_IN_THE_VECTOR_KERNELS = noClasses()
            .that().resideOutsideOfPackage(VECTOR_KERNELS)
            .should().dependOnClassesThat().resideInAPackage("jdk.incubator.vector..")
            .because("only yinghuo-engine-vector is compiled with --add-modules jdk.incubator.vector");

    static final ArchRule INGEST_AND_RETRIEVAL_DO_NOT_REACH_THE_ENGINE = noClasses()
            .that().resideInAnyPackage("io.yinghuo.ingest..", "io.yinghuo.retrieval..")
            .should().dependOnClassesThat().resideInAPackage("io.yinghuo.model..")
            .because("they see a model only through LangChain4j's interfaces (TokenCountEstimator, ChatModel)");

    static final ArchRule RETRIEVAL_DOES_NOT_REACH_INGEST = noClasses()
            .that().resideInAPackage("io.yinghuo.retrieval..")
            .should().dependOnClassesThat().resideInAPackage("io.yinghuo.ingest..")
            .because("ingestion writes into the index; the index and the RAG pipeline know nothing of parsing");

    static final ArchRule ENGINE_KNOWS_NO_PROVIDER_BACKEND_OR_TEST_KIT = noClasses()
            .that().resideInAnyPackage(ENGINE)
            .should().dependOnClassesThat().resideInAnyPackage("dev.langchain4j..", "io.yinghuo.model.langchain4j..",
                    "io.yinghuo.model.synth..", CUDA_BACKEND, VECTOR_KERNELS)
            .because("the engine is usable without LangChain4j, and finds its CUDA and Vector API backends by name");

    static final ArchRule CHECKPOINT_FILES_DO_NOT_READ_CONFIGS = noClasses()
            .that().resideInAPackage("io.yinghuo.model.checkpoint..")
            .should().dependOnClassesThat().resideInAPackage("io.yinghuo.model.config..")
            .because("tensor files are the lower layer; config.json and quantize_config.json readers build on them");

    static final ArchRule LIBRARIES_DO_NOT_REACH_THE_APPLICATION = noClasses()
            .that().resideInAnyPackage("io.yinghuo.model..", "io.yinghuo.retrieval..", "io.yinghuo.ingest..")
            .should().dependOnClassesThat().resideInAnyPackage("io.yinghuo.web..", "io.yinghuo.cli..",
                    "io.yinghuo.samples..")
            .because("the web server, the CLI and the samples are built on the libraries, not the other way");

    static final ArchRule TEST_KIT_ONLY_IN_TOOLS = noClasses()
            .that().resideOutsideOfPackages("io.yinghuo.model.synth..", "io.yinghuo.cli..", "io.yinghuo.samples..")
            .should().dependOnClassesThat().resideInAPackage("io.yinghuo.model.synth..")
            .because("synthesized checkpoints serve tests, benchmarks, synth-model and the samples, never a model at"
                    + " run time");

    static final ArchRule ONNX_ONLY_IN_THE_EMBEDDINGS_MODULE = noClasses()
            .that().resideOutsideOfPackage("io.yinghuo.embeddings..")
            .should().dependOnClassesThat().resideInAnyPackage("ai.onnxruntime..", "ai.djl..",
                    "dev.langchain4j.model.embedding.onnx..")
            .because("ONNX Runtime, DJL's tokenizers and the BGE model ship only with yinghuo-embeddings; the index"
                    + " and the RAG pipeline see any LangChain4j EmbeddingModel");

    static final ArchRule SOLR_ONLY_IN_ITS_BACKEND = noClasses()
            .that().resideOutsideOfPackage("io.yinghuo.retrieval.solr..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.solr..")
            .because("search, RAG, ingest and the app see an index only through retrieval.index.ChunkStore; SolrJ is"
                    + " yinghuo-retrieval-solr's business (the app names it once, to open --index solr:)");

    static final List<ArchRule> ALL = List.of(SOLR_ONLY_IN_ITS_BACKEND, JCUDA_ONLY_IN_THE_CUDA_BACKEND, VECTOR_API_ONLY_IN_THE_VECTOR_KERNELS,
            INGEST_AND_RETRIEVAL_DO_NOT_REACH_THE_ENGINE, RETRIEVAL_DOES_NOT_REACH_INGEST,
            ENGINE_KNOWS_NO_PROVIDER_BACKEND_OR_TEST_KIT, CHECKPOINT_FILES_DO_NOT_READ_CONFIGS,
            LIBRARIES_DO_NOT_REACH_THE_APPLICATION, TEST_KIT_ONLY_IN_TOOLS, ONNX_ONLY_IN_THE_EMBEDDINGS_MODULE);

    private DependencyRules() {
    }
}
