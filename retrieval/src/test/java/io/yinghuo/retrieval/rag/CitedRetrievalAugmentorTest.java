package io.yinghuo.retrieval.rag;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.rag.AugmentationRequest;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.query.Query;
import dev.langchain4j.rag.query.transformer.QueryTransformer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The augmentor as LangChain4j's AiServices drive it: the chat memory it is given, other query transformers. */
class CitedRetrievalAugmentorTest {

    private static final CitingContentInjector INJECTOR = CitingContentInjector.builder()
            .tokenCountEstimator(new CitingContentInjectorTest.CharacterCounter()).build();

    private static final ContentRetriever RIVER = query -> List.of(RagTestData.passage("river", 0, "长江是中国第一长河。"));

    private static CitedRetrievalAugmentor.Augmentation prepare(CitedRetrievalAugmentor augmentor, UserMessage question,
                                                                SystemMessage system, List<ChatMessage> memory) {
        return augmentor.prepare(new AugmentationRequest(question, RagQueries.metadata(question, system, memory,
                RagQueries.parameters(Set.of(), Set.of()))));
    }

    @Test
    void theHistoryIsTheChatMemoryWithoutItsSystemMessageAndTheCurrentQuestion() {
        CitedRetrievalAugmentor augmentor = CitedRetrievalAugmentor.builder().contentRetriever(RIVER)
                .contentInjector(INJECTOR).build();
        UserMessage question = UserMessage.from("它有多长？");
        SystemMessage system = SystemMessage.from("你是助手。");
        List<ChatMessage> earlier = List.of(UserMessage.from("长江在哪里？"), AiMessage.from("长江在中国。"));
        List<ChatMessage> memory = new ArrayList<>();
        memory.add(system);
        memory.addAll(earlier);
        memory.add(question); // AiServices adds the current message to the memory before augmenting
        assertEquals(earlier, prepare(augmentor, question, system, memory).context().history());
        // A memory that does not end with the question keeps all its exchanges.
        List<ChatMessage> withoutCurrent = new ArrayList<>(memory.subList(0, 3));
        assertEquals(earlier, prepare(augmentor, question, system, withoutCurrent).context().history());
        assertEquals(List.of(), prepare(augmentor, question, system, List.of(system, question)).context().history());
    }

    @Test
    void aQueryATransformerGivesTwiceIsSearchedTwiceAndItsResultsFused() {
        QueryTransformer twice = query -> List.of(Query.from("长江"), Query.from("长江"));
        AtomicInteger calls = new AtomicInteger();
        ContentRetriever changing = query -> List.of(calls.getAndIncrement() == 0
                ? RagTestData.passage("river", 0, "长江是中国第一长河。")
                : RagTestData.passage("river", 1, "长江流域人口众多。"));
        CitedRetrievalAugmentor augmentor = CitedRetrievalAugmentor.builder().queryTransformer(twice)
                .contentRetriever(changing).contentInjector(INJECTOR).build();
        CitedRetrievalAugmentor.Augmentation augmentation = prepare(augmentor, UserMessage.from("长江有多长？"), null,
                List.of());
        assertEquals(2, calls.get());
        assertEquals(List.of("长江"), augmentation.parts(), "one part: the query's text once");
        assertEquals(List.of("长江是中国第一长河。", "长江流域人口众多。"),
                augmentation.candidates().stream().map(c -> c.textSegment().text()).toList());
    }

    @Test
    void itsInjectorIsTheOneConfigured() {
        assertSame(INJECTOR, CitedRetrievalAugmentor.builder().contentRetriever(RIVER).contentInjector(INJECTOR)
                .build().injector());
    }
    @Test
    void severalRetrieversBehindARouterAreAllSearched() {
        ContentRetriever palace = query -> List.of(RagTestData.passage("palace", 0, "长江边没有故宫。"));
        CitedRetrievalAugmentor augmentor = CitedRetrievalAugmentor.builder()
                .queryRouter(new dev.langchain4j.rag.query.router.DefaultQueryRouter(RIVER, palace))
                .contentInjector(INJECTOR).build();
        List<String> docs = prepare(augmentor, UserMessage.from("长江有多长？"), null, List.of()).candidates().stream()
                .map(c -> c.textSegment().metadata().getString(
                        io.yinghuo.retrieval.langchain4j.ChineseContentRetriever.DOCUMENT_ID)).toList();
        assertEquals(Set.of("river", "palace"), Set.copyOf(docs));
    }
}
