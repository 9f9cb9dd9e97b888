package io.yinghuo.cli;

import io.yinghuo.retrieval.vectors.Embedder;
import io.yinghuo.web.TestEmbeddings;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Commands under test embed with a small deterministic model instead of the built-in bge-small-zh (which needs its
 * ONNX file and seconds per start): each test starts with {@link TestEmbeddings#hashed}, may switch to another with
 * {@link #use}, and the built-in model is restored after it. Counts the embedding models the command made.
 * Register with {@code @RegisterExtension final TestEmbeddingModel embeddings = new TestEmbeddingModel();}.
 */
final class TestEmbeddingModel implements BeforeEachCallback, AfterEachCallback {

    private final AtomicInteger made = new AtomicInteger();
    private Supplier<Embedder> builtIn;

    @Override
    public void beforeEach(ExtensionContext context) {
        builtIn = EmbeddingChoice.builtIn;
        made.set(0);
        use(TestEmbeddings::hashed);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        EmbeddingChoice.builtIn = builtIn;
    }

    /** From now on the command's "built-in" embedding model is {@code model}'s. */
    void use(Supplier<Embedder> model) {
        EmbeddingChoice.builtIn = () -> {
            made.incrementAndGet();
            return model.get();
        };
    }

    /** Embedding models made since the test started. */
    int made() {
        return made.get();
    }
}
