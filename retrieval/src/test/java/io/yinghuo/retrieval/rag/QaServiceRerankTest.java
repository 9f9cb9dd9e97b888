package io.yinghuo.retrieval.rag;

import dev.langchain4j.model.scoring.ScoringModel;
import io.yinghuo.model.chat.ChatTemplates;
import io.yinghuo.model.langchain4j.YinghuoTokenCountEstimator;
import io.yinghuo.model.synth.SentencePieceModelWriter;
import io.yinghuo.model.tokenizer.SentencePieceTokenizer;
import io.yinghuo.retrieval.TestIndexes;
import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.index.IndexProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link QaServiceBuilder#scoringModel}: the reranker reaches the pipeline, and its failure the caller. */
class QaServiceRerankTest {

    @TempDir
    static Path dir;
    static ChunkIndex index;
    static YinghuoTokenCountEstimator estimator;

    @BeforeAll
    static void build() throws IOException {
        index = ChunkIndex.open(dir.resolve("index"), IndexProfile.CHINESE_HYBRID);
        TestIndexes.put(index, "river", "", "长江", "长江是中国第一长河，全长六千三百公里，流经十一个省级行政区。",
                "长江流域的人口约占全国的三分之一。");
        TestIndexes.put(index, "palace", "", "故宫", "故宫位于北京市中心，旧称紫禁城，是明清两代的皇家宫殿。",
                "故宫博物院成立于一九二五年。");
        estimator = new YinghuoTokenCountEstimator(SentencePieceTokenizer.load(
                SentencePieceModelWriter.small().write(dir.resolve("tokenizer.model"))), ChatTemplates.alpaca2());
    }

    @AfterAll
    static void close() throws IOException {
        index.close();
    }

    private static QaServiceBuilder service() {
        return QaService.builder().index(index).tokenCountEstimator(estimator).contextTokens(4096).answerTokens(256)
                .minCoverage(0);
    }

    private static List<String> order(AskResponse response) {
        return response.sources().stream().map(s -> s.docId() + "#" + s.chunkIndex()).toList();
    }

    private static AskResponse search(QaService qa, String question) {
        return qa.ask(AskRequest.ask(question).withMode(AskMode.SEARCH), AnswerListener.NONE).result().join();
    }

    @Test
    void theRerankerOrdersEachPartsPassagesAndIsAskedWithThePartsText() {
        String question = "长江有多长？另外，故宫在哪里？";
        AskResponse plain = search(service().build(), question);
        // BM25 prefers the short chunks.
        assertEquals(List.of("river#1", "palace#1", "river#0", "palace#0"), order(plain));

        RecordingScoringModel reranker = RecordingScoringModel.preferring("六千三百公里", "北京市中心");
        AskResponse reranked = search(service().scoringModel(reranker).build(), question);
        assertEquals(List.of("river#0", "palace#0", "river#1", "palace#1"), order(reranked));
        assertEquals(reranked.parts(), reranker.calls.stream().map(RecordingScoringModel.Call::query).toList());
        assertEquals(2, reranked.parts().size());
    }

    @Test
    void aFailingRerankerFailsTheQuestionWithItsReason() {
        ScoringModel failing = (segments, query) -> {
            throw new IllegalStateException("the reranker model.onnx failed to run: boom");
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> search(service().scoringModel(failing).build(), "长江有多长"));
        assertTrue(e.getMessage().contains("the reranker failed on question part 1 (重排序失败): the reranker"
                + " model.onnx failed to run: boom"), e.getMessage());
    }

    @Test
    void aMinimumWithoutARerankerIsRefusedWhereItIsBuilt() {
        assertThrows(IllegalStateException.class, () -> service().minRerankScore(0.5).build());
    }
}
