package io.yinghuo.embeddings;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import io.yinghuo.retrieval.vectors.Embedder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built-in model, for real: it is in the jar, so this runs everywhere the build does. */
class BuiltInEmbeddingsTest {

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    @Test
    void rewordedQuestionsAreNearestToThePassageThatAnswersThem() {
        Embedder embedder = BuiltInEmbeddings.bgeSmallZh();
        assertEquals("bge-small-zh-v1.5/512", embedder.space().label());
        List<float[]> passages = embedder.embedPassages(List.of(
                "北京大学创建于1898年，初名京师大学堂，是中国近代第一所国立综合性大学。",
                "大熊猫主要栖息在四川、陕西和甘肃的山区，以竹子为主要食物。",
                "臺灣高速鐵路於2007年通車，連接臺北與高雄，全程約九十分鐘。"));
        // No word of the question is in its passage beyond single characters: meaning, not keywords.
        String[][] questions = {{"那所最早的国立高等学府是哪年成立的", "0"}, {"这种黑白相间的动物吃什么", "1"},
                {"台湾的高铁什么时候开始运营", "2"}};
        for (String[] question : questions) {
            float[] q = embedder.embedQuery(question[0]);
            assertEquals(512, q.length);
            assertEquals(1.0, dot(q, q), 1e-4, "vectors are unit length");
            int best = 0;
            for (int i = 1; i < passages.size(); i++) {
                if (dot(q, passages.get(i)) > dot(q, passages.get(best))) {
                    best = i;
                }
            }
            assertEquals(Integer.parseInt(question[1]), best, question[0]);
        }
    }

    @Test
    void theModelLoadsAtItsFirstUseOnceAndAFailureIsClear() {
        AtomicInteger loads = new AtomicInteger();
        EmbeddingModel inner = new EmbeddingModel() {
            @Override
            public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
                return Response.from(segments.stream().map(s -> Embedding.from(new float[] {1, 0})).toList());
            }
        };
        LazyEmbeddingModel lazy = new LazyEmbeddingModel(() -> {
            loads.incrementAndGet();
            return inner;
        }, "test", 2);
        assertEquals(2, lazy.dimension());
        assertEquals("test", lazy.modelName());
        assertFalse(lazy.loaded());
        assertEquals(0, loads.get(), "asking its name and dimension loads nothing");
        lazy.embed("一");
        lazy.embedAll(List.of(TextSegment.from("二"), TextSegment.from("三")));
        assertTrue(lazy.loaded());
        assertEquals(1, loads.get());

        AtomicInteger tries = new AtomicInteger();
        LazyEmbeddingModel broken = new LazyEmbeddingModel(() -> {
            tries.incrementAndGet();
            throw new UnsatisfiedLinkError("no onnxruntime for this platform");
        }, "broken", 2);
        IllegalStateException first = assertThrows(IllegalStateException.class, () -> broken.embed("一"));
        assertTrue(first.getMessage().contains("broken") && first.getMessage().contains("onnxruntime"),
                first.getMessage());
        assertSame(first, assertThrows(IllegalStateException.class, () -> broken.embed("二")));
        assertEquals(1, tries.get(), "a failed load is not retried on every call");
    }
}
