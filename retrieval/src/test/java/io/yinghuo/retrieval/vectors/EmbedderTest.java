package io.yinghuo.retrieval.vectors;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbedderTest {

    @Test
    void vectorsAreScaledToUnitLengthAndQueriesGetTheInstruction() {
        ConceptEmbeddingModel model = new ConceptEmbeddingModel();
        String instruction = "为这个句子生成表示以用于检索相关文章：";
        Embedder embedder = Embedder.of(model, "bge-test", ConceptEmbeddingModel.DEFAULT_DIMENSION, instruction);
        float[] query = embedder.embedQuery("大夫去哪儿上班");
        assertArrayEquals(unit(model.vector(instruction + "大夫去哪儿上班")), query, 1e-6f);
        assertEquals(1.0, norm(query), 1e-6);
        List<float[]> passages = embedder.embedPassages(List.of("医生在医院工作。", "轿车需要保养。"));
        assertEquals(2, passages.size());
        assertArrayEquals(unit(model.vector("医生在医院工作。")), passages.get(0), 1e-6f, "passages get no instruction");
        assertArrayEquals(unit(model.vector("轿车需要保养。")), passages.get(1), 1e-6f);
        assertEquals(List.of(), embedder.embedPassages(List.of()));
        assertTrue(ConceptEmbeddingModel.cosine(query, passages.get(0))
                > ConceptEmbeddingModel.cosine(query, passages.get(1)));
    }

    @Test
    void aModelThatKnowsItsNameGivesTheSpace() {
        assertEquals(new VectorSpace("concept-test", 64), Embedder.of(new ConceptEmbeddingModel()).space());
        assertEquals(new VectorSpace("BAAI_bge-small-zh-v1.5", 64),
                Embedder.of(new ConceptEmbeddingModel("BAAI/bge-small-zh-v1.5", 64)).space());
        EmbeddingModel anonymous = new EmbeddingModel() {
            @Override
            public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
                throw new AssertionError("not called");
            }
        };
        assertThrows(IllegalArgumentException.class, () -> Embedder.of(anonymous));
    }

    @Test
    void badVectorsAreRefused() {
        Embedder shorter = Embedder.of(new ConceptEmbeddingModel("m", 32), "m", 64, "");
        assertThrows(IllegalStateException.class, () -> shorter.embedQuery("医生"));
        Embedder zero = Embedder.of(fixed(new float[4]), "zero", 4, "");
        assertThrows(IllegalStateException.class, () -> zero.embedQuery("医生"));
        Embedder nan = Embedder.of(fixed(new float[] {1, Float.NaN, 0, 0}), "nan", 4, "");
        assertThrows(IllegalStateException.class, () -> nan.embedQuery("医生"));
        Embedder huge = Embedder.of(fixed(new float[] {Float.MAX_VALUE, Float.MAX_VALUE, 0, 0}), "huge", 4, "");
        assertArrayEquals(new float[] {(float) Math.sqrt(0.5), (float) Math.sqrt(0.5), 0, 0},
                huge.embedQuery("医生"), 1e-6f, "large components are normalized in double precision");
        EmbeddingModel dropsOne = new EmbeddingModel() {
            @Override
            public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
                return Response.from(List.of(Embedding.from(new float[] {1, 0, 0, 0})));
            }
        };
        assertThrows(IllegalStateException.class,
                () -> Embedder.of(dropsOne, "drops", 4, "").embedPassages(List.of("一", "二")));
    }

    @Test
    void passageTextPutsTitleAndHeadingBeforeTheText() {
        assertEquals("标题\n第二节\n正文", Embedder.passageText("标题", "第二节", "正文"));
        assertEquals("标题\n正文", Embedder.passageText("标题", "标题", "正文"));
        assertEquals("标题\n正文", Embedder.passageText("标题", "", "正文"));
        assertEquals("正文", Embedder.passageText("", "", "正文"));
    }

    @Test
    void vectorSpaceLabelsRoundTrip() {
        VectorSpace space = new VectorSpace("bge-small-zh-v1.5", 512);
        assertEquals("bge-small-zh-v1.5/512", space.label());
        assertEquals("vector_512", space.fieldName());
        assertEquals(space, VectorSpace.fromLabel(space.label()));
        assertThrows(IllegalArgumentException.class, () -> new VectorSpace("a/b", 4));
        assertThrows(IllegalArgumentException.class, () -> new VectorSpace(" ", 4));
        assertThrows(IllegalArgumentException.class, () -> new VectorSpace("m", 0));
        assertThrows(IllegalArgumentException.class, () -> new VectorSpace("m", 4097));
        assertThrows(IllegalArgumentException.class, () -> VectorSpace.fromLabel("no-dimension"));
        assertThrows(IllegalArgumentException.class, () -> VectorSpace.fromLabel("/4"));
        assertEquals(1, new VectorSpace("m", 1).dimension(), "the bounds themselves are dimensions");
        assertEquals(4096, new VectorSpace("m", 4096).dimension());
        assertEquals(new VectorSpace("a", 4), VectorSpace.fromLabel("a/4"), "a one-letter model id");
        assertEquals("bge-small-zh-v1.5/512", space.toString(), "logs and errors name the label");
    }

    @Test
    void foregroundGateCountsRunningSearches() throws InterruptedException {
        ForegroundGate gate = new ForegroundGate();
        gate.awaitIdle(); // returns at once when no search runs
        ForegroundGate.Handle one = gate.enter();
        ForegroundGate.Handle two = gate.enter();
        assertEquals(2, gate.active());
        one.close();
        assertEquals(1, gate.active());
        two.close();
        assertEquals(0, gate.active());
        gate.awaitIdle();
    }

    /** The background embedder waiting for searches to end wakes when the last one ends, not before. */
    @Test
    void aWaiterWakesWhenTheLastSearchEnds() throws InterruptedException {
        ForegroundGate gate = new ForegroundGate();
        ForegroundGate.Handle one = gate.enter();
        ForegroundGate.Handle two = gate.enter();
        java.util.concurrent.atomic.AtomicBoolean passed = new java.util.concurrent.atomic.AtomicBoolean();
        Thread waiter = new Thread(() -> {
            try {
                gate.awaitIdle();
                passed.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        while (waiter.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        one.close();
        while (waiter.getState() != Thread.State.WAITING && waiter.isAlive()) {
            Thread.onSpinWait(); // woken by nothing, or woken and back to waiting: one search still runs
        }
        assertFalse(passed.get(), "one search still runs");
        two.close();
        waiter.join(30_000);
        assertTrue(passed.get(), "the waiter went on once no search ran");
    }

    private static EmbeddingModel fixed(float[] vector) {
        return new EmbeddingModel() {
            @Override
            public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
                List<Embedding> out = new ArrayList<>();
                for (TextSegment ignored : segments) {
                    out.add(Embedding.from(vector.clone()));
                }
                return Response.from(out);
            }
        };
    }

    private static float[] unit(float[] vector) {
        double n = norm(vector);
        float[] unit = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            unit[i] = (float) (vector[i] / n);
        }
        return unit;
    }

    private static double norm(float[] vector) {
        double sum = 0;
        for (float v : vector) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum);
    }
}
