package io.yinghuo.retrieval.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.rag.AugmentationRequest;
import dev.langchain4j.rag.AugmentationResult;
import dev.langchain4j.rag.DefaultRetrievalAugmentor;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.content.injector.DefaultContentInjector;
import dev.langchain4j.rag.query.Metadata;
import dev.langchain4j.rag.query.Query;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import io.yinghuo.retrieval.TestIndexes;
import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.index.IndexProfile;
import io.yinghuo.retrieval.search.ChunkSearcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ChineseContentRetrieverTest {

    @TempDir
    static Path dir;
    static ChunkIndex index;
    static ChunkSearcher searcher;

    @BeforeAll
    static void build() throws IOException {
        index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID);
        TestIndexes.put(index, "tea", "drinks", "茶", "龙井茶产于杭州西湖一带，是绿茶的代表。", "普洱茶产于云南。");
        TestIndexes.put(index, "coffee", "drinks", "咖啡", "蓝山咖啡产于牙买加的蓝山地区。");
        TestIndexes.put(index, "secret", "private", "机密", "龙井茶的采摘时间是机密资料。");
        searcher = new ChunkSearcher(index);
    }

    @AfterAll
    static void close() throws IOException {
        index.close();
    }

    @Test
    void contentsCarryCitationMetadataAndScore() {
        ChineseContentRetriever retriever = ChineseContentRetriever.builder().searcher(searcher)
                .maxResults(2).build();
        List<Content> contents = retriever.retrieve(Query.from("龙井茶产于哪里？"));
        assertEquals(2, contents.size());
        Content first = contents.get(0);
        TextSegment segment = first.textSegment();
        assertTrue(segment.text().contains("杭州"));
        assertEquals("tea", segment.metadata().getString(ChineseContentRetriever.DOCUMENT_ID));
        assertEquals("tea.txt", segment.metadata().getString(ChineseContentRetriever.FILE_NAME));
        assertEquals(1, segment.metadata().getInteger(ChineseContentRetriever.PAGE));
        assertEquals(0, segment.metadata().getInteger(ChineseContentRetriever.START_OFFSET));
        assertEquals(segment.text().length(), segment.metadata().getInteger(ChineseContentRetriever.END_OFFSET));
        double score = (Double) first.metadata().get(ContentMetadata.SCORE);
        assertEquals(score, segment.metadata().getDouble(ChineseContentRetriever.SCORE), 1e-9);
        assertTrue(score >= (Double) contents.get(1).metadata().get(ContentMetadata.SCORE));
    }

    @Test
    void staticAndDynamicFiltersAndMinScore() {
        ChineseContentRetriever onlyDrinks = ChineseContentRetriever.builder().searcher(searcher)
                .filter(RetrievalFilter.collections(List.of("drinks"))).maxResults(10).build();
        assertTrue(onlyDrinks.retrieve(Query.from("龙井茶 机密")).stream()
                .noneMatch(c -> c.textSegment().metadata().getString("document_id").equals("secret")));

        // Per-call scope, e.g. the documents a user selected, read from the invocation parameters.
        ChineseContentRetriever perUser = ChineseContentRetriever.builder().searcher(searcher)
                .dynamicFilter(q -> RetrievalFilter.documents(List.of(q.text().contains("咖啡") ? "coffee" : "tea")))
                .build();
        assertTrue(perUser.retrieve(Query.from("产于哪里 咖啡")).stream()
                .allMatch(c -> c.textSegment().metadata().getString("document_id").equals("coffee")));

        ChineseContentRetriever strict = ChineseContentRetriever.builder().searcher(searcher)
                .minScore(0.99).build();
        List<Content> best = strict.retrieve(Query.from("龙井茶"));
        assertEquals(1, best.size(), "only the first hit scores above 0.99");
        assertEquals(1.0, best.get(0).metadata().get(ContentMetadata.SCORE));
        assertEquals("lexical", best.get(0).textSegment().metadata().getString(ChineseContentRetriever.RETRIEVAL));
        assertThrows(IllegalArgumentException.class, () -> ChineseContentRetriever.builder().minScore(1.5));
    }

    /** Per-query result counts and score floors, as LangChain4j's retrievers take them, and the bounds of both. */
    @Test
    void dynamicMaxResultsAndMinScoreAreAskedPerQuery() {
        ChineseContentRetriever perQuery = ChineseContentRetriever.builder().searcher(searcher)
                .dynamicMaxResults(q -> q.text().length() > 3 ? 1 : 3)
                .dynamicMinScore(q -> q.text().contains("只要最好") ? 0.99 : 0.0)
                .build();
        assertEquals(1, perQuery.retrieve(Query.from("龙井茶产地")).size());
        assertTrue(perQuery.retrieve(Query.from("龙井茶")).size() > 1);
        assertEquals(1, perQuery.retrieve(Query.from("龙井茶 只要最好")).size(), "only the best hit scores 0.99");

        assertEquals(1, ChineseContentRetriever.builder().searcher(searcher).minScore(1.0).build()
                .retrieve(Query.from("龙井茶")).size(), "a floor of exactly 1 keeps the best hit");
        assertTrue(ChineseContentRetriever.builder().searcher(searcher).minScore(0.0).build()
                .retrieve(Query.from("龙井茶")).size() > 1, "a floor of 0 keeps all");
        assertThrows(IllegalArgumentException.class, () -> ChineseContentRetriever.builder().minScore(-0.01));
        assertThrows(IllegalArgumentException.class, () -> ChineseContentRetriever.builder().minScore(1.01));
        assertThrows(IllegalArgumentException.class, () -> ChineseContentRetriever.builder().minScore(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> ChineseContentRetriever.builder().maxResults(0));
        ChineseContentRetriever.builder().maxResults(1);
        assertThrows(NullPointerException.class, () -> ChineseContentRetriever.builder().dynamicMaxResults(null));
        assertThrows(NullPointerException.class, () -> ChineseContentRetriever.builder().dynamicMinScore(null));
    }

    @Test
    void worksInsideDefaultRetrievalAugmentor() {
        DefaultRetrievalAugmentor augmentor = DefaultRetrievalAugmentor.builder()
                .contentRetriever(ChineseContentRetriever.builder().searcher(searcher).maxResults(1).build())
                .contentInjector(DefaultContentInjector.builder()
                        .metadataKeysToInclude(List.of(ChineseContentRetriever.FILE_NAME,
                                ChineseContentRetriever.PAGE))
                        .build())
                .build();
        UserMessage question = UserMessage.from("蓝山咖啡产于哪里？");
        AugmentationResult result = augmentor.augment(new AugmentationRequest(question,
                Metadata.from(question, "memory", List.of())));
        assertEquals(1, result.contents().size());
        String augmented = ((UserMessage) result.chatMessage()).singleText();
        assertTrue(augmented.contains("蓝山咖啡产于牙买加的蓝山地区"), augmented);
        assertTrue(augmented.contains("coffee.txt"), augmented);
    }

    interface Assistant {
        Result<String> answer(String question);
    }

    /** Answers with the (augmented) user message it received, so the test can see what retrieval injected. */
    static final class EchoChatModel implements ChatModel {
        @Override
        public ChatResponse doChat(ChatRequest request) {
            ChatMessage last = request.messages().get(request.messages().size() - 1);
            return ChatResponse.builder().aiMessage(AiMessage.from(((UserMessage) last).singleText())).build();
        }
    }

    @Test
    void worksInsideAiServices() {
        Assistant assistant = AiServices.builder(Assistant.class)
                .chatModel(new EchoChatModel())
                .contentRetriever(ChineseContentRetriever.builder().searcher(searcher).maxResults(1).build())
                .build();
        Result<String> result = assistant.answer("普洱茶产于哪里？");
        assertTrue(result.content().contains("普洱茶产于云南。"), result.content());
        assertEquals(1, result.sources().size());
        assertEquals("tea", result.sources().get(0).textSegment().metadata().getString("document_id"));
        assertEquals(1, result.sources().get(0).textSegment().metadata().getInteger("chunk_index"));
    }
}
