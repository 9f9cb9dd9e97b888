package io.yinghuo.retrieval.rag;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.yinghuo.model.chat.ChatTemplates;
import io.yinghuo.model.langchain4j.YinghuoTokenCountEstimator;
import io.yinghuo.model.synth.SentencePieceModelWriter;
import io.yinghuo.model.tokenizer.SentencePieceTokenizer;
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
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service's settings as a caller meets them: refused where they are set, and each one changing what a question
 * gets (the system prompt the model sees, how many passages, the relevance floor, the documents a question names,
 * the room kept for the answer).
 */
class QaServiceSettingsTest {

    @TempDir
    static Path dir;
    static ChunkIndex index;
    static YinghuoTokenCountEstimator estimator;

    @BeforeAll
    static void build() throws IOException {
        index = ChunkIndex.open(dir.resolve("index"), IndexProfile.CHINESE_HYBRID);
        TestIndexes.put(index, "river", "", "长江", "长江是中国第一长河，全长六千三百公里，流经十一个省级行政区。",
                "长江流域的人口约占全国的三分之一，长江沿岸城市众多。");
        TestIndexes.put(index, "palace", "", "故宫", "故宫位于北京市中心，旧称紫禁城，是明清两代的皇家宫殿。",
                "故宫博物院成立于一九二五年。");
        TestIndexes.put(index, "tea", "", "龙井茶", "龙井茶产于杭州西湖一带，是中国十大名茶之一。");
        estimator = new YinghuoTokenCountEstimator(SentencePieceTokenizer.load(
                SentencePieceModelWriter.small().write(dir.resolve("tokenizer.model"))), ChatTemplates.alpaca2());
    }

    @AfterAll
    static void close() throws IOException {
        index.close();
    }

    private static QaServiceBuilder service() {
        return QaService.builder().index(index).tokenCountEstimator(estimator).contextTokens(4096).answerTokens(256);
    }

    private static void refused(String message, Runnable setting) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, setting::run);
        assertEquals(message, e.getMessage());
    }

    @Test
    void badSettingsAreRefusedWhereTheyAreSetWithTheValueNamed() {
        refused("resultsPerQuery must be at least 1, got 0", () -> QaService.builder().resultsPerQuery(0));
        refused("maxPassages must be at least 1, got 0", () -> QaService.builder().maxPassages(0));
        refused("minCoverage must be in [0, 1], got -0.1", () -> QaService.builder().minCoverage(-0.1));
        refused("minCoverage must be in [0, 1], got 1.5", () -> QaService.builder().minCoverage(1.5));
        refused("minCoverage must be in [0, 1], got NaN", () -> QaService.builder().minCoverage(Double.NaN));
        refused("minSimilarity must be in [0, 1], got -0.1", () -> QaService.builder().minSimilarity(-0.1));
        refused("minSimilarity must be in [0, 1], got 1.5", () -> QaService.builder().minSimilarity(1.5));
        refused("minSimilarity must be in [0, 1], got NaN", () -> QaService.builder().minSimilarity(Double.NaN));
        refused("minRerankScore must be a number, got NaN", () -> QaService.builder().minRerankScore(Double.NaN));
        assertThrows(NullPointerException.class, () -> QaService.builder().systemPrompt(null));
        assertThrows(NullPointerException.class, () -> QaService.builder().keyTerms(null));
        assertThrows(NullPointerException.class, () -> QaService.builder().catalogue(null));
    }

    @Test
    void theEdgesOfEachRangeAreAccepted() {
        QaServiceBuilder builder = service().resultsPerQuery(1).maxPassages(1).minCoverage(0).minCoverage(1)
                .minSimilarity(0).minSimilarity(1).minRerankScore(null).minRerankScore(-3.0).minRerankScore(null);
        assertEquals(4096, builder.build().contextTokens());
        // The answer may take all but one token of the context.
        assertEquals(100, service().contextTokens(100).answerTokens(99).build().contextTokens());
    }

    @Test
    void buildingNeedsAnEstimatorAndRoomBesidesTheAnswer() {
        NullPointerException none = assertThrows(NullPointerException.class,
                () -> QaService.builder().index(index).build());
        assertTrue(none.getMessage().startsWith("a tokenCountEstimator is required"), none.getMessage());
        refused("the answer room (4096 tokens) must be smaller than the context (4096)",
                () -> service().answerTokens(4096).build());
        refused("the answer room (5000 tokens) must be smaller than the context (4096)",
                () -> service().answerTokens(5000).build());
        IllegalStateException rerank = assertThrows(IllegalStateException.class,
                () -> service().minRerankScore(0.5).build());
        assertEquals("minRerankScore needs a scoringModel (a reranker)", rerank.getMessage());
    }

    @Test
    void theServiceSaysWhetherAModelAnswersAndHowLongItsContextIs() {
        QaService withModel = service().contextTokens(2048).chatModel(new QaServiceTest.ScriptedModel("好")).build();
        assertTrue(withModel.hasModel());
        assertEquals(2048, withModel.contextTokens());
        assertFalse(service().build().hasModel());
    }

    @Test
    void theModelGetsTheConfiguredSystemPrompt() {
        QaServiceTest.ScriptedModel model = new QaServiceTest.ScriptedModel("长江全长六千三百公里[1]。");
        service().chatModel(model).systemPrompt("只用中文回答。").build().ask(AskRequest.ask("长江有多长？"));
        List<ChatMessage> sent = model.requests.get(0).messages();
        assertEquals(SystemMessage.from("只用中文回答。"), sent.get(0));

        QaServiceTest.ScriptedModel byDefault = new QaServiceTest.ScriptedModel("长江全长六千三百公里[1]。");
        service().chatModel(byDefault).build().ask(AskRequest.ask("长江有多长？"));
        assertEquals(SystemMessage.from(QaService.DEFAULT_SYSTEM_PROMPT), byDefault.requests.get(0).messages().get(0));
    }

    @Test
    void maxPassagesAndResultsPerQueryBoundTheEvidence() {
        AskRequest question = AskRequest.ask("长江有多长？流域人口多少？");
        assertEquals(2, service().build().ask(question).evidence().size(), "both of the river's passages");
        assertEquals(1, service().maxPassages(1).build().ask(question).evidence().size());
        AskResponse onePerQuery = service().resultsPerQuery(1).build().ask(AskRequest.ask("长江有多长？"));
        assertEquals(1, onePerQuery.evidence().size());
    }

    @Test
    void theRelevanceFloorDecidesWhatCountsAsFound() {
        AskRequest partly = AskRequest.ask("长江和黄河有多长？");
        assertEquals(AnswerKind.EVIDENCE_ONLY, service().minCoverage(0.35).build().ask(partly).kind());
        assertEquals(AnswerKind.NOT_FOUND, service().minCoverage(1).build().ask(partly).kind());
    }

    @Test
    void theCallersKeyTermsDecideTheRelevanceFloor() {
        KeyTerms absent = new KeyTerms() {
            @Override
            public List<String> terms(String question) {
                return List.of("量子");
            }

            @Override
            public double weight(String term) {
                return 1;
            }
        };
        assertEquals(AnswerKind.EVIDENCE_ONLY, service().build().ask(AskRequest.ask("长江有多长？")).kind());
        assertEquals(AnswerKind.NOT_FOUND, service().keyTerms(absent).build().ask(AskRequest.ask("长江有多长？")).kind());
    }

    @Test
    void aQuestionThatNamesADocumentIsSearchedInsideItThroughTheIndexsCatalogue() {
        // The river's passage matches more of these words; the question asks what the tea's document says. (No
        // relevance floor: only the ranking is compared.)
        for (String named : List.of("tea.txt里说中国第一是什么？", "《tea》里说中国第一是什么？")) {
            AskResponse response = service().minCoverage(0).build().ask(AskRequest.ask(named));
            assertEquals("tea", response.evidence().get(0).docId(), named + " -> " + response.evidence());
            // Naming one document puts it first; the rest of the index is still searched.
            assertTrue(response.evidence().stream().anyMatch(s -> s.docId().equals("river")), response.toString());
            // With no catalogue nothing is known by that name, and the whole index is searched.
            AskResponse unnamed = service().minCoverage(0).catalogue(List::of).build().ask(AskRequest.ask(named));
            assertEquals("river", unnamed.evidence().get(0).docId(), named + " -> " + unnamed.evidence());
        }
    }

    @Test
    void aSearcherOfItsOwnReplacesTheIndexsAndNoneMeansChatOnly() {
        ChunkSearcher shared = new ChunkSearcher(index);
        AskResponse found = service().searcher(shared).build().ask(AskRequest.ask("龙井茶产于哪里？"));
        assertEquals("tea", found.evidence().get(0).docId());
        QaService noIndex = QaService.builder().tokenCountEstimator(estimator)
                .chatModel(new QaServiceTest.ScriptedModel("你好")).build();
        refused("ask mode needs documents, and this service has no index",
                () -> noIndex.ask(AskRequest.ask("长江有多长？")));
        refused("search mode needs documents, and this service has no index",
                () -> noIndex.ask(AskRequest.ask("长江有多长？").withMode(AskMode.SEARCH)));
        assertEquals("你好", noIndex.ask(AskRequest.ask("你好").withMode(AskMode.CHAT)).answer());
        refused("chat mode needs a model (none is loaded)",
                () -> service().build().ask(AskRequest.ask("你好").withMode(AskMode.CHAT)));
    }

    @Test
    void maxOutputTokensSetsTheRoomKeptForTheAnswer() {
        QaService qa = service().chatModel(new QaServiceTest.ScriptedModel("好")).build();
        AskRequest chat = AskRequest.ask("你好").withMode(AskMode.CHAT);
        int byDefault = qa.ask(chat).budgetTokens();
        assertEquals(4096 - 256 - ChatConversation.SAFETY_TOKENS, byDefault);
        int withMax = qa.ask(chat.withParameters(maxOutputTokens(1000))).budgetTokens();
        assertEquals(4096 - 1000 - ChatConversation.SAFETY_TOKENS, withMax);
        assertEquals(4096 - 1 - ChatConversation.SAFETY_TOKENS,
                qa.ask(chat.withParameters(maxOutputTokens(1))).budgetTokens());
        assertEquals(byDefault, qa.ask(chat.withParameters(ChatRequestParameters.builder().temperature(0.5).build()))
                .budgetTokens(), "parameters without maxOutputTokens keep the default room");
        assertTrue(qa.ask(AskRequest.ask("长江有多长？").withParameters(maxOutputTokens(1000))).budgetTokens()
                < qa.ask(AskRequest.ask("长江有多长？")).budgetTokens(), "document questions too");
    }

    @Test
    void maxOutputTokensMustLeaveRoomInTheContext() {
        QaService qa = service().chatModel(new QaServiceTest.ScriptedModel("好")).build();
        AskRequest chat = AskRequest.ask("你好").withMode(AskMode.CHAT);
        refused("maxOutputTokens must be between 1 and the context (4096), got 0",
                () -> qa.ask(chat.withParameters(maxOutputTokens(0))));
        refused("maxOutputTokens must be between 1 and the context (4096), got 4096",
                () -> qa.ask(chat.withParameters(maxOutputTokens(4096))));
        refused("maxOutputTokens must be between 1 and the context (4096), got 4096",
                () -> qa.ask(AskRequest.ask("长江有多长？").withParameters(maxOutputTokens(4096))));
    }

    @Test
    void waitingForAnAnswerThrowsTheModelsOwnError() {
        IllegalStateException broken = new IllegalStateException("the model worker stopped");
        QaService qa = service().chatModel(failingWith(broken)).build();
        assertSame(broken, assertThrows(IllegalStateException.class,
                () -> qa.ask(AskRequest.ask("你好").withMode(AskMode.CHAT))));
        // An error that is not a RuntimeException cannot be thrown as itself: it stays wrapped.
        Exception checked = new IOException("the connection to the model was lost");
        QaService io = service().chatModel(failingWith(checked)).build();
        CompletionException wrapped = assertThrows(CompletionException.class,
                () -> io.ask(AskRequest.ask("你好").withMode(AskMode.CHAT)));
        assertSame(checked, wrapped.getCause());
    }

    @Test
    void aRequestAndAListenerAreRequired() {
        QaService qa = service().build();
        assertThrows(NullPointerException.class, () -> qa.ask(null, AnswerListener.NONE));
        assertThrows(NullPointerException.class, () -> qa.ask(AskRequest.ask("长江"), null));
    }

    private static ChatRequestParameters maxOutputTokens(int value) {
        return ChatRequestParameters.builder().maxOutputTokens(value).build();
    }

    private static StreamingChatModel failingWith(Throwable error) {
        return new StreamingChatModel() {
            @Override
            public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
                handler.onError(error);
            }
        };
    }
}
