package io.yinghuo.retrieval.search;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.query.Query;
import io.yinghuo.retrieval.TestIndexes;
import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.index.ChunkRecord;
import io.yinghuo.retrieval.index.DocumentRecord;
import io.yinghuo.retrieval.index.IndexProfile;
import io.yinghuo.retrieval.langchain4j.ChineseContentRetriever;
import io.yinghuo.retrieval.langchain4j.RetrievalFilter;
import io.yinghuo.retrieval.vectors.ConceptEmbeddingModel;
import io.yinghuo.retrieval.vectors.Embedder;
import io.yinghuo.retrieval.vectors.VectorSpace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HybridSearchTest {

    /** Shares no word and no bigram with any passage; "大夫" is a synonym of the passages' "医生". */
    static final String REWORDED = "大夫去哪儿上班？";
    /** Shares "在" and "工作" with the doctor passage, and more with a passage about offices. */
    static final String REWORDED_WITH_KEYWORDS = "大夫在哪里工作？";

    @TempDir
    static Path dir;
    static ChunkIndex index;
    static ConceptEmbeddingModel model = new ConceptEmbeddingModel();
    static Embedder embedder = Embedder.of(model);
    static ChunkSearcher hybrid;
    static ChunkSearcher lexical;

    @BeforeAll
    static void build() throws IOException {
        index = ChunkIndex.open(dir.resolve("index"), IndexProfile.CHINESE_HYBRID);
        TestIndexes.put(index, "medicine", "health", "医疗", "医生在医院工作，每天给病人看病。", "病人需要按时吃药。");
        TestIndexes.put(index, "cardio", "health", "科室", "这位医生擅长治疗心脏病，也喜欢修电脑和汽车。");
        TestIndexes.put(index, "cars", "transport", "交通", "轿车的发动机需要定期保养。", "车辆在高速公路行驶时要系安全带。");
        TestIndexes.put(index, "computers", "tech", "科技", "计算机由中央处理器和内存组成。");
        TestIndexes.put(index, "work", "life", "生活", "工作地点在哪里由公司决定，工作时间也由公司安排。");
        TestIndexes.put(index, "pending", "health", "通知", "诊所每晚八点关门。");
        for (String docId : List.of("medicine", "cardio", "cars", "computers", "work")) {
            assertTrue(embed(index, docId, embedder));
        }
        index.commit();
        assertEquals(List.of("pending"), index.documentsWithoutVectors(embedder.space()).stream()
                .map(DocumentRecord::docId).toList());
        hybrid = new ChunkSearcher(index, embedder);
        lexical = new ChunkSearcher(index);
    }

    @AfterAll
    static void close() throws IOException {
        index.close();
    }

    @Test
    void rewordedQuestionFindsTheSynonymPassageByMeaningAlone() throws IOException {
        assertEquals(List.of(), lexical.search(SearchRequest.of(REWORDED, 10)), "no keyword in common");
        List<SearchHit> hits = hybrid.search(SearchRequest.of(REWORDED, 10));
        SearchHit first = hits.get(0);
        assertEquals("medicine", first.docId());
        assertEquals(0, first.chunkIndex());
        assertEquals("cardio", hits.get(1).docId(), "the other passage about a 医生");
        assertEquals(SearchHit.HYBRID, first.retrieval());
        // Found by meaning only, and the nearest: half of what being best on both signals earns (ScoreFusion).
        assertEquals(0.5f, first.score(), 1e-6f);
        // The similarity is LangChain4j's relevance score of the query's and the passage's vectors.
        float[] query = embedder.embedQuery(REWORDED);
        float[] passage = embedder.embedPassages(List.of(Embedder.passageText("医疗", "", first.text()))).get(0);
        assertEquals((1 + ConceptEmbeddingModel.cosine(query, passage)) / 2, first.similarity(), 1e-5);
        assertTrue(first.similarity() > hits.get(1).similarity());
    }

    @Test
    void fusionLiftsTheSynonymPassageAboveABetterKeywordMatch() throws IOException {
        List<SearchHit> byKeywords = lexical.search(SearchRequest.of(REWORDED_WITH_KEYWORDS, 10));
        assertEquals("work", byKeywords.get(0).docId());
        assertEquals("medicine", byKeywords.get(1).docId());
        List<SearchHit> hits = hybrid.search(SearchRequest.of(REWORDED_WITH_KEYWORDS, 10));
        assertEquals(List.of("medicine", "work"), List.of(hits.get(0).docId(), hits.get(1).docId()));
        // medicine#0: second by keywords, nearest by meaning; work#0: first by keywords, farther by meaning. Each
        // signal is divided by its best and the two averaged, so work scores (1 + cos(work) / cos(medicine)) / 2.
        assertTrue(hits.get(0).similarity() > hits.get(1).similarity());
        double cosMedicine = 2 * hits.get(0).similarity() - 1;
        double cosWork = 2 * hits.get(1).similarity() - 1;
        assertEquals((1 + cosWork / cosMedicine) / 2, hits.get(1).score(), 1e-5);
        assertTrue(hits.get(0).score() > 0.5 && hits.get(0).score() < 1, hits.toString());
    }

    @Test
    void hitsSayWhetherTheirDocumentHadVectors() throws IOException {
        List<SearchHit> hits = hybrid.search(SearchRequest.of("诊所几点关门", 10));
        SearchHit first = hits.get(0);
        assertEquals("pending", first.docId());
        assertEquals(SearchHit.LEXICAL, first.retrieval());
        assertTrue(Float.isNaN(first.similarity()));
        assertEquals(1.0f, first.score(), "first by keywords, the only ranking it can be in");
        assertEquals("medicine", hits.get(1).docId(), "诊所 means 医院");
        assertTrue(hits.size() > 2, hits.toString());
        for (SearchHit hit : hits) {
            if (hit.docId().equals("pending")) {
                assertEquals(SearchHit.LEXICAL, hit.retrieval());
                assertTrue(Float.isNaN(hit.similarity()));
            } else {
                assertEquals(SearchHit.HYBRID, hit.retrieval(), hit.toString());
                assertTrue(hit.similarity() > 0 && hit.similarity() <= 1, hit.toString());
            }
        }
        for (SearchHit hit : lexical.search(SearchRequest.of("医生 诊所 工作 轿车", 10))) {
            assertEquals(SearchHit.LEXICAL, hit.retrieval());
            assertTrue(Float.isNaN(hit.similarity()));
        }
    }

    @Test
    void documentAndCollectionFiltersApplyToTheVectorsToo() throws IOException {
        List<SearchHit> cars = hybrid.search(SearchRequest.of(REWORDED, 10).withDocIds(List.of("cars")));
        assertEquals(2, cars.size(), "both chunks of cars, by their vectors");
        assertTrue(cars.stream().allMatch(h -> h.docId().equals("cars") && h.retrieval().equals(SearchHit.HYBRID)));

        List<SearchHit> scoped = hybrid.search(SearchRequest.of(REWORDED, 10)
                .withCollections(List.of("transport", "tech")));
        assertEquals(Set.of("cars", "computers"), Set.copyOf(ChunkSearcher.documentIds(scoped)));
        assertEquals(3, scoped.size());

        List<SearchHit> both = hybrid.search(SearchRequest.of(REWORDED, 10)
                .withDocIds(List.of("cardio", "cars", "pending")).withCollections(List.of("health")));
        assertEquals(List.of("cardio"), ChunkSearcher.documentIds(both), "pending has no vector, cars is elsewhere");

        assertEquals(List.of(), hybrid.search(SearchRequest.of(REWORDED, 10).withCollections(List.of("nope"))));
    }

    @Test
    void vectorsOfAnotherModelAreNeverUsed() throws IOException {
        // The other model returns exactly the same vectors of the same dimension: only its id tells them apart.
        Embedder other = Embedder.of(new ConceptEmbeddingModel("other-model", ConceptEmbeddingModel.DEFAULT_DIMENSION));
        assertEquals(embedder.space().fieldName(), other.space().fieldName());
        try (ChunkIndex mixed = ChunkIndex.open(dir.resolve("mixed"), IndexProfile.CHINESE_HYBRID)) {
            TestIndexes.put(mixed, "medicine", "health", "医疗", "医生在医院工作，每天给病人看病。");
            TestIndexes.put(mixed, "cars", "transport", "交通", "轿车的发动机需要定期保养。");
            assertTrue(embed(mixed, "medicine", other));
            assertTrue(embed(mixed, "cars", embedder));
            mixed.commit();

            ChunkSearcher concept = new ChunkSearcher(mixed, embedder);
            assertEquals(List.of("cars"), ChunkSearcher.documentIds(concept.search(SearchRequest.of(REWORDED, 10))));
            List<SearchHit> byKeywords = concept.search(SearchRequest.of("医生在医院", 10));
            assertEquals(List.of("medicine", "cars"), ChunkSearcher.documentIds(byKeywords), "cars by its vector");
            assertEquals(SearchHit.HYBRID, byKeywords.get(1).retrieval());
            assertEquals(SearchHit.LEXICAL, byKeywords.get(0).retrieval());
            assertTrue(Float.isNaN(byKeywords.get(0).similarity()));
            assertEquals(1.0f, byKeywords.get(0).score());

            ChunkSearcher otherSearcher = new ChunkSearcher(mixed, other);
            List<SearchHit> hits = otherSearcher.search(SearchRequest.of(REWORDED, 10));
            assertEquals(List.of("medicine"), ChunkSearcher.documentIds(hits));
            assertEquals(SearchHit.HYBRID, hits.get(0).retrieval());

            // Re-embedded with the searcher's model, medicine is found by meaning again.
            assertTrue(embed(mixed, "medicine", embedder));
            mixed.commit();
            assertEquals(List.of("medicine", "cars"),
                    ChunkSearcher.documentIds(concept.search(SearchRequest.of(REWORDED, 10))));
            assertEquals(List.of(), otherSearcher.search(SearchRequest.of(REWORDED, 10)));
        }
    }

    @Test
    void aFailingEmbeddingModelFallsBackToKeywords() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        EmbeddingModel failing = new EmbeddingModel() {
            @Override
            public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
                calls.incrementAndGet();
                throw new IllegalStateException("the embedding server is down");
            }
        };
        Embedder broken = Embedder.of(failing, embedder.space().modelId(), embedder.space().dimension(), "");
        assertEquals(embedder.space(), broken.space());
        ChunkSearcher fallback = new ChunkSearcher(index, broken);
        for (String query : List.of(REWORDED_WITH_KEYWORDS, "诊所几点关门", "轿车保养", REWORDED)) {
            int before = calls.get();
            List<SearchHit> hits = fallback.search(SearchRequest.of(query, 10));
            assertTrue(calls.get() > before, "the model was asked");
            List<SearchHit> expected = lexical.search(SearchRequest.of(query, 10));
            assertEquals(expected.size(), hits.size(), query);
            for (int i = 0; i < hits.size(); i++) {
                assertEquals(expected.get(i).docId(), hits.get(i).docId(), query);
                assertEquals(expected.get(i).chunkIndex(), hits.get(i).chunkIndex(), query);
                assertEquals(expected.get(i).score(), hits.get(i).score(), query);
                assertEquals(SearchHit.LEXICAL, hits.get(i).retrieval());
                assertTrue(Float.isNaN(hits.get(i).similarity()));
            }
            assertEquals(0, broken.foreground().active(), "the search gave its turn back");
        }
    }

    @Test
    void scoresAreInTheUnitRangeAndDescending() throws IOException {
        for (String query : List.of(REWORDED, REWORDED_WITH_KEYWORDS, "诊所几点关门", "轿车 电脑", "计算机内存",
                "医生")) {
            for (SearchRequest request : List.of(SearchRequest.of(query, 20), SearchRequest.of(query, 3),
                    SearchRequest.of(query, 20).withCollections(List.of("health")))) {
                for (ChunkSearcher searcher : List.of(hybrid, lexical)) {
                    List<SearchHit> hits = searcher.search(request);
                    assertTrue(hits.size() <= request.maxResults());
                    for (int i = 0; i < hits.size(); i++) {
                        float score = hits.get(i).score();
                        assertTrue(score > 0 && score <= 1, query + ": " + hits);
                        assertTrue(i == 0 || score <= hits.get(i - 1).score(), query + ": " + hits);
                    }
                }
            }
        }
        List<SearchHit> all = hybrid.search(SearchRequest.of(REWORDED_WITH_KEYWORDS, 20));
        List<SearchHit> strict = hybrid.search(SearchRequest.of(REWORDED_WITH_KEYWORDS, 20).withMinScore(0.6));
        List<SearchHit> above = all.stream().filter(h -> h.score() >= 0.6f).toList();
        assertEquals(2, above.size(), all.toString());
        assertEquals(above.stream().map(h -> h.docId() + "#" + h.chunkIndex()).toList(),
                strict.stream().map(h -> h.docId() + "#" + h.chunkIndex()).toList());
    }

    @Test
    void contentRetrieverCarriesRetrievalAndSimilarityAndRespectsMinScore() throws IOException {
        ChineseContentRetriever retriever = ChineseContentRetriever.builder().searcher(hybrid).maxResults(10).build();
        List<Content> contents = retriever.retrieve(Query.from(REWORDED_WITH_KEYWORDS));
        Content first = contents.get(0);
        assertEquals("medicine", first.textSegment().metadata().getString(ChineseContentRetriever.DOCUMENT_ID));
        assertEquals("hybrid", first.textSegment().metadata().getString(ChineseContentRetriever.RETRIEVAL));
        Double similarity = first.textSegment().metadata().getDouble(ChineseContentRetriever.SIMILARITY);
        assertTrue(similarity > 0.5 && similarity <= 1, String.valueOf(similarity));
        double score = (Double) first.metadata().get(ContentMetadata.SCORE);
        assertEquals(hybrid.search(SearchRequest.of(REWORDED_WITH_KEYWORDS, 10)).get(0).score(), score, 1e-6);
        assertTrue(score > 0.5 && score < 1, String.valueOf(score));
        assertEquals(score, first.textSegment().metadata().getDouble(ChineseContentRetriever.SCORE), 1e-9);
        for (Content content : contents) {
            assertEquals("hybrid", content.textSegment().metadata().getString(ChineseContentRetriever.RETRIEVAL));
            assertTrue(content.textSegment().metadata().containsKey(ChineseContentRetriever.SIMILARITY));
        }

        ChineseContentRetriever strict = ChineseContentRetriever.builder().searcher(hybrid).maxResults(10)
                .minScore(0.6).build();
        List<Content> kept = strict.retrieve(Query.from(REWORDED_WITH_KEYWORDS));
        assertEquals(List.of("medicine", "work"), kept.stream()
                .map(c -> c.textSegment().metadata().getString(ChineseContentRetriever.DOCUMENT_ID)).toList());
        assertTrue(kept.stream().allMatch(c -> (Double) c.metadata().get(ContentMetadata.SCORE) >= 0.6));
        assertTrue(contents.size() > kept.size());

        List<Content> notEmbedded = ChineseContentRetriever.builder().searcher(hybrid).minScore(0.99).build()
                .retrieve(Query.from("诊所几点关门"));
        assertEquals(1, notEmbedded.size());
        assertEquals("pending", notEmbedded.get(0).textSegment().metadata()
                .getString(ChineseContentRetriever.DOCUMENT_ID));
        assertEquals("lexical", notEmbedded.get(0).textSegment().metadata()
                .getString(ChineseContentRetriever.RETRIEVAL));
        assertFalse(notEmbedded.get(0).textSegment().metadata().containsKey(ChineseContentRetriever.SIMILARITY));
        assertNull(notEmbedded.get(0).textSegment().metadata().getDouble(ChineseContentRetriever.SIMILARITY));

        List<Content> transport = ChineseContentRetriever.builder().searcher(hybrid).maxResults(10)
                .filter(RetrievalFilter.collections(List.of("transport"))).build().retrieve(Query.from(REWORDED));
        assertEquals(2, transport.size());
        assertTrue(transport.stream().allMatch(c ->
                c.textSegment().metadata().getString(ChineseContentRetriever.DOCUMENT_ID).equals("cars")));
    }

    static boolean embed(ChunkIndex index, String docId, Embedder embedder) throws IOException {
        DocumentRecord document = index.document(docId).orElseThrow();
        List<ChunkRecord> chunks = index.chunks(docId);
        return index.stageVectors(document, chunks, embedder.space(), embedder.embedPassages(chunks.stream()
                .map(c -> Embedder.passageText(document.title(), c.headingPath(), c.text())).toList()));
    }
    @Test
    void aSearcherSaysWhichEmbedderItSearchesWith() {
        org.junit.jupiter.api.Assertions.assertSame(embedder, hybrid.embedder().orElseThrow());
        assertTrue(lexical.embedder().isEmpty());
    }
}
