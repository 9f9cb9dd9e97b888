package io.yinghuo.retrieval.search;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import io.yinghuo.retrieval.TestIndexes;
import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.index.IndexProfile;
import io.yinghuo.retrieval.vectors.Embedder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Search results at the edges of the ranking rules: how a compound question's parts share the page, which chunks a
 * hybrid search leaves out (no shared word and no similar meaning, or a question of punctuation), and a keyword hit
 * beyond the vector search's candidates still reported with its similarity.
 */
class SearchEdgesTest {

    /**
     * Vectors by marker: "狗" (0, 1, 0), else "猫" or "咪" (1, 0, 0), else "鱼" (−1, 0.2, 0), anything else
     * (0, 0, 1). So a text about dogs is orthogonal to a question about cats, one about fish points away from it.
     */
    static final EmbeddingModel MARKERS = new EmbeddingModel() {
        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            return Response.from(segments.stream().map(s -> Embedding.from(vector(s.text()))).toList());
        }

        private float[] vector(String text) {
            if (text.contains("狗")) {
                return new float[] {0, 1, 0};
            }
            if (text.contains("猫") || text.contains("咪")) {
                return new float[] {1, 0, 0};
            }
            if (text.contains("鱼")) {
                return new float[] {-1, 0.2f, 0};
            }
            return new float[] {0, 0, 1};
        }
    };

    @TempDir
    static Path dir;
    static ChunkIndex words;
    static ChunkSearcher lexical;

    @BeforeAll
    static void build() throws IOException {
        words = ChunkIndex.open(dir.resolve("words"), IndexProfile.CHINESE_HYBRID);
        TestIndexes.put(words, "yushan", "geo", "玉山",
                "玉山海拔三千九百五十二公尺，玉山海拔最高。",
                "玉山主峰海拔多少公尺？玉山海拔约四千公尺。",
                "登玉山要看海拔，玉山海拔以公尺计。");
        TestIndexes.put(words, "gugong", "geo", "宫殿",
                "故宫位于北京市中心，" + "参观的人很多，门票要提前预约。".repeat(8));
        lexical = new ChunkSearcher(words);
    }

    @AfterAll
    static void close() throws IOException {
        words.close();
    }

    @Test
    void aCompoundQuestionTakesTheBestOfEachPartInTurn() throws IOException {
        String question = "玉山海拔多少公尺？另外，故宫位于哪里？";
        // asked whole, the first part's dense chunks would take both slots
        assertEquals(List.of("yushan", "yushan"), lexical.search(SearchRequest.of("玉山海拔多少公尺故宫位于哪里", 2))
                .stream().map(SearchHit::docId).toList());
        assertEquals(List.of("yushan", "gugong"), docIds(lexical.search(SearchRequest.of(question, 2))));
        // the second part has one chunk: the first part's others follow it, each once
        List<SearchHit> all = lexical.search(SearchRequest.of(question, 10));
        assertEquals(List.of("yushan", "gugong", "yushan", "yushan"), docIds(all));
        assertEquals(3, all.stream().filter(h -> h.docId().equals("yushan")).map(SearchHit::chunkIndex).distinct()
                .count());
        assertEquals(docIds(all).subList(0, 3), docIds(lexical.search(SearchRequest.of(question, 3))));
    }

    @Test
    void aChunkIsFoundByItsDocumentsTitleAndItsHeading() throws IOException {
        // its own index, written inside the test: PIT credits what @BeforeAll runs to no test method
        try (ChunkIndex index = ChunkIndex.open(dir.resolve("context"), IndexProfile.CHINESE_HYBRID)) {
            TestIndexes.put(index, "gugong", "", "宫殿", "它位于北京市中心。", "门票要提前预约。");
            ChunkSearcher searcher = new ChunkSearcher(index);
            // "宫殿" is only the title; "第二节" only the heading of the second chunk (TestIndexes' heading)
            assertEquals(List.of(0, 1), searcher.search(SearchRequest.of("宫殿", 5)).stream()
                    .map(SearchHit::chunkIndex).sorted().toList());
            assertEquals(List.of(1), searcher.search(SearchRequest.of("第二节", 5)).stream()
                    .map(SearchHit::chunkIndex).toList());
        }
    }

    @Test
    void hybridSearchLeavesOutWhatSharesNoWordAndNoMeaning() throws IOException {
        Embedder embedder = Embedder.of(MARKERS, "markers", 3, "");
        try (ChunkIndex index = ChunkIndex.open(dir.resolve("markers"), IndexProfile.CHINESE_HYBRID)) {
            TestIndexes.put(index, "cat", "", "宠物", "小猫在沙发上睡觉。");
            TestIndexes.put(index, "dog", "", "宠物", "小狗在院子里跑。");
            TestIndexes.put(index, "fish", "", "宠物", "金鱼在鱼缸里游。");
            TestIndexes.put(index, "other", "", "天气", "明天会下雨。");
            for (String docId : List.of("cat", "dog", "fish", "other")) {
                assertTrue(HybridSearchTest.embed(index, docId, embedder));
            }
            index.commit();
            ChunkSearcher hybrid = new ChunkSearcher(index, embedder);

            List<SearchHit> hits = hybrid.search(SearchRequest.of("咪咪", 10));
            assertEquals(List.of("cat"), docIds(hits), "similar meaning, no shared word: found by its vector");
            assertEquals(SearchHit.HYBRID, hits.get(0).retrieval());
            // "other" is nearest to a question of punctuation, whose vector means nothing
            assertEquals(List.of(), hybrid.search(SearchRequest.of("？！。", 10)));
        }
    }

    @Test
    void aKeywordHitBeyondTheVectorCandidatesKeepsItsSimilarity() throws IOException {
        Embedder embedder = Embedder.of(MARKERS, "markers", 3, "");
        try (ChunkIndex index = ChunkIndex.open(dir.resolve("many"), IndexProfile.CHINESE_HYBRID)) {
            // more chunks nearer to the question than the vector search takes, none sharing its word
            for (int i = 0; i < ChunkSearcher.MIN_CANDIDATES + 5; i++) {
                stage(index, "near" + i, "咪咪", "咪咪第" + i + "次睡觉。");
            }
            stage(index, "dog", "宠物", "小狗追着小猫跑。");
            index.commit(); // one commit for all: a commit each would take seconds
            for (var document : index.documents()) {
                assertTrue(HybridSearchTest.embed(index, document.docId(), embedder));
            }
            index.commit();
            ChunkSearcher hybrid = new ChunkSearcher(index, embedder);

            SearchHit dog = hybrid.search(SearchRequest.of("小猫", 10)).stream()
                    .filter(h -> h.docId().equals("dog")).findFirst().orElseThrow();
            assertEquals(SearchHit.HYBRID, dog.retrieval(), "its document has vectors");
            assertEquals(0.5f, dog.similarity(), 1e-6f, "orthogonal: (1 + cos) / 2 with cos 0");
        }
    }

    private static void stage(ChunkIndex index, String docId, String title, String text) throws IOException {
        index.stageReplace(TestIndexes.record(docId, "", title, List.of(text), "sha-" + docId),
                TestIndexes.chunks(List.of(text)));
    }

    private static List<String> docIds(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::docId).toList();
    }
}
