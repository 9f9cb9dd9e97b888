package io.yinghuo.retrieval.rag;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.rag.AugmentationRequest;
import dev.langchain4j.rag.AugmentationResult;
import dev.langchain4j.rag.content.Content;
import io.yinghuo.model.chat.ChatTemplates;
import io.yinghuo.model.langchain4j.YinghuoTokenCountEstimator;
import io.yinghuo.model.synth.SentencePieceModelWriter;
import io.yinghuo.model.tokenizer.SentencePieceTokenizer;
import io.yinghuo.retrieval.TestIndexes;
import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.index.IndexProfile;
import io.yinghuo.retrieval.langchain4j.ChineseContentRetriever;
import io.yinghuo.retrieval.search.ChunkSearcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The service over a real index, with a scripted streaming model standing in for the LLM. */
class QaServiceTest {

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

    /** Streams a fixed answer in pieces and records what it was asked. */
    static final class ScriptedModel implements StreamingChatModel {
        final List<String> pieces;
        final List<ChatRequest> requests = new ArrayList<>();
        final AtomicBoolean cancelled = new AtomicBoolean();

        ScriptedModel(String... pieces) {
            this.pieces = List.of(pieces);
        }

        @Override
        public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
            requests.add(request);
            StreamingHandle handle = new StreamingHandle() {
                @Override
                public void cancel() {
                    cancelled.set(true);
                }

                @Override
                public boolean isCancelled() {
                    return cancelled.get();
                }
            };
            StringBuilder all = new StringBuilder();
            for (String piece : pieces) {
                if (cancelled.get()) {
                    return; // LangChain4j: nothing after cancel()
                }
                handler.onPartialResponse(new PartialResponse(piece), new PartialResponseContext(handle));
                all.append(piece);
            }
            if (!cancelled.get()) {
                handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from(all.toString()))
                        .finishReason(FinishReason.STOP).build());
            }
        }
    }

    /** A listener that throws ends the answer with that error and stops the model (which would go on otherwise). */
    @Test
    void aListenerThatThrowsStopsTheModelAndFailsTheAnswer() {
        ScriptedModel model = new ScriptedModel("长江", "全长", "六千三百公里");
        List<String> tokens = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        IllegalStateException boom = new IllegalStateException("the client is gone");
        AskHandle handle = service().chatModel(model).build().ask(AskRequest.ask("长江有多长？"), new AnswerListener() {
            @Override
            public void onToken(String text) {
                tokens.add(text);
                throw boom;
            }

            @Override
            public void onError(Throwable error) {
                errors.add(error);
            }
        });
        java.util.concurrent.CompletionException failed = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.CompletionException.class, () -> handle.result().join());
        assertSame(boom, failed.getCause());
        assertEquals(List.of(boom), errors, "onError once");
        assertEquals(List.of("长江"), tokens, "no token after the failure");
        assertTrue(model.cancelled.get(), "the model was stopped");
    }

    @Test
    void answersACompoundQuestionWithEvidenceForEveryPartAndListsOnlyCitedSources() {
        ScriptedModel model = new ScriptedModel("长江全长六千三百公里", "[2]；", "故宫位于北京市中心[3]。");
        List<String> tokens = new ArrayList<>();
        List<List<Source>> evidenceSeen = new ArrayList<>();
        AskResponse response = service().chatModel(model).build().ask(AskRequest.ask("长江有多长？另外，故宫在哪里？"),
                new AnswerListener() {
                    @Override
                    public void onEvidence(String standalone, List<String> parts, List<Source> evidence) {
                        evidenceSeen.add(evidence);
                    }

                    @Override
                    public void onToken(String text) {
                        tokens.add(text);
                    }
                }).result().join();
        assertEquals(AnswerKind.MODEL, response.kind(), response.toString());
        assertEquals(List.of("长江有多长？", "故宫在哪里？"), response.parts());
        assertEquals(List.of("长江全长六千三百公里", "[2]；", "故宫位于北京市中心[3]。"), tokens);
        assertEquals(1, evidenceSeen.size(), "evidence comes once, before the tokens");
        // Every part has evidence from its document, grouped by part: the river, then the palace.
        assertEquals(List.of("river", "river", "palace", "palace"), response.evidence().stream().map(Source::docId).toList());
        assertEquals(List.of(0, 0, 1, 1), response.evidence().stream().map(Source::part).toList());
        // Only cited sources, in citation order, with what a user needs to check them.
        assertEquals(List.of(2, 3), response.sources().stream().map(Source::number).toList());
        Source first = response.sources().get(0);
        assertEquals(response.evidence().get(1), first);
        assertEquals("river.txt", first.fileName());
        assertEquals(1, first.page());
        assertTrue(first.end() > first.start() && first.text().contains("六千三百公里"));
        assertEquals("stop", response.finishReason());
        assertTrue(response.promptTokens() > 0 && response.promptTokens() <= response.budgetTokens());
        // The question's words are marked in every passage, once: the cited sources are the evidence's objects.
        assertSame(response.evidence().get(1), first);
        assertSame(evidenceSeen.get(0).get(1), first);
        assertTrue(marked(first).contains("长江"), marked(first).toString());
        assertTrue(marked(response.sources().get(1)).contains("故宫"), marked(response.sources().get(1)).toString());
        assertEquals(first.text(), first.snippet().text(), "a short passage is its own snippet");

        // The model got the system prompt and the packed message with numbered, labelled evidence.
        List<ChatMessage> sent = model.requests.get(0).messages();
        assertTrue(sent.get(0) instanceof SystemMessage);
        String message = ((UserMessage) sent.get(sent.size() - 1)).singleText();
        assertTrue(message.contains("[2] 来源：《river.txt》（长江）第1页\n长江是中国第一长河"), message);
        assertTrue(message.contains("问题：长江有多长？另外，故宫在哪里？"), message);
    }

    /** The marked words of a source's text. */
    private static List<String> marked(Source source) {
        return source.highlights().stream().map(h -> source.text().substring(h.start(), h.end())).toList();
    }

    @Test
    void saysNotFoundWithoutAskingTheModelWhenNothingIsRelevant() {
        ScriptedModel model = new ScriptedModel("不该被调用");
        AskResponse response = service().chatModel(model).build().ask(AskRequest.ask("量子计算机的工作原理是什么？"));
        assertEquals(AnswerKind.NOT_FOUND, response.kind());
        assertEquals(EvidencePrompt.NOT_FOUND, response.answer());
        assertTrue(response.sources().isEmpty() && response.evidence().isEmpty());
        assertTrue(model.requests.isEmpty());
    }

    @Test
    void refusesToSayNotFoundWhenRelevantPassagesDoNotFit() {
        // 700 tokens of context, 300 for the answer: the instructions (byte-spelled by the small vocabulary) nearly
        // fill the rest.
        QaService tiny = QaService.builder().index(index).tokenCountEstimator(estimator).contextTokens(700)
                .answerTokens(300).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tiny.ask(AskRequest.ask("长江有多长？")));
        assertTrue(e.getMessage().contains("none fits the context"), e.getMessage());
    }

    @Test
    void withoutAModelAnswersWithTheBestPassagesMarkedAsSuch() {
        List<String> tokens = new ArrayList<>();
        AskResponse response = service().build().ask(AskRequest.ask("长江有多长？另外，故宫在哪里？"),
                new AnswerListener() {
                    @Override
                    public void onToken(String text) {
                        tokens.add(text);
                    }
                }).result().join();
        assertEquals(AnswerKind.EVIDENCE_ONLY, response.kind());
        assertTrue(response.answer().startsWith(EvidenceOnlyAnswer.NOTE), response.answer());
        assertEquals(List.of(response.answer()), tokens);
        assertTrue(response.answer().contains("] 《river.txt》（长江）第1页：长江是中国第一长河"), response.answer());
        // The passages shown are the sources, cited as a model would cite them; both documents are there.
        assertEquals(Citations.numbers(response.answer()), response.sources().stream().map(Source::number).toList());
        assertTrue(response.sources().stream().anyMatch(s -> s.docId().equals("palace")));
        assertEquals("", response.finishReason());
        assertThrows(IllegalArgumentException.class, () -> service().build().ask(
                AskRequest.ask("你好").withMode(AskMode.CHAT)));
    }

    @Test
    void searchModeReturnsPassagesOnlyAndHonoursTheDocumentSelection() {
        ScriptedModel model = new ScriptedModel("不该被调用");
        AskResponse all = service().chatModel(model).build().ask(AskRequest.ask("中国的长河与名茶")
                .withMode(AskMode.SEARCH).withMaxSources(2));
        assertEquals(AnswerKind.SEARCH_RESULTS, all.kind());
        assertEquals(2, all.sources().size());
        assertEquals(List.of(1, 2), all.sources().stream().map(Source::number).toList());
        assertTrue(all.sources().stream().allMatch(s -> !s.highlights().isEmpty() && s.snippet() != null));
        AskResponse onlyTea = service().build().ask(AskRequest.ask("中国的长河与名茶").withMode(AskMode.SEARCH)
                .withDocIds(Set.of("tea")));
        assertFalse(onlyTea.sources().isEmpty());
        assertTrue(onlyTea.sources().stream().allMatch(s -> s.docId().equals("tea")));
        assertTrue(model.requests.isEmpty());
    }

    @Test
    void rewritesAFollowUpFromTheHistory() {
        ScriptedModel model = new ScriptedModel("成立于一九二五年[1]。");
        AskResponse response = service().chatModel(model).build().ask(AskRequest.ask("它的博物院成立于哪一年？")
                .withHistory(List.of(new Turn("故宫在哪里？", "故宫位于北京市中心。"))));
        assertEquals("故宫的博物院成立于哪一年？", response.standalone());
        assertEquals("palace", response.evidence().get(0).docId());
        List<ChatMessage> sent = model.requests.get(0).messages();
        assertEquals(4, sent.size(), "system, the earlier exchange, the question");
        assertEquals("故宫在哪里？", ((UserMessage) sent.get(1)).singleText());
    }

    @Test
    void chatModeAsksTheModelAloneAndCancelStopsTheStream() {
        ScriptedModel model = new ScriptedModel("你好", "，", "我是", "助手");
        QaService qa = service().chatModel(model).build();
        AskResponse chat = qa.ask(AskRequest.ask("你好").withMode(AskMode.CHAT));
        assertEquals(AnswerKind.CHAT, chat.kind());
        assertEquals("你好，我是助手", chat.answer());
        assertEquals(1, model.requests.get(0).messages().size(), "no documents, no system prompt");

        ScriptedModel slow = new ScriptedModel("一", "二", "三", "四");
        List<String> tokens = new ArrayList<>();
        List<AskResponse> completed = new ArrayList<>();
        AskHandle handle = service().chatModel(slow).build().ask(AskRequest.ask("你好").withMode(AskMode.CHAT),
                new AnswerListener() {
                    AskHandle mine;

                    @Override
                    public void onStart(AskHandle h) {
                        mine = h;
                    }

                    @Override
                    public void onToken(String text) {
                        tokens.add(text);
                        if (tokens.size() == 2) {
                            mine.cancel();
                        }
                    }

                    @Override
                    public void onComplete(AskResponse response) {
                        completed.add(response);
                    }
                });
        AskResponse cancelled = handle.result().join();
        assertEquals(List.of("一", "二"), tokens);
        assertTrue(slow.cancelled.get(), "the model's stream was cancelled");
        assertEquals("cancelled", cancelled.finishReason());
        assertEquals("一二", cancelled.answer());
        assertEquals(List.of(cancelled), completed);
    }

    /** Records what a listener hears, to compare with the response the question ends with. */
    static final class HeardListener implements AnswerListener {
        final List<List<Source>> evidence = new ArrayList<>();
        final List<String> tokens = new ArrayList<>();
        final List<AskResponse> completed = new ArrayList<>();

        @Override
        public void onEvidence(String standalone, List<String> parts, List<Source> sources) {
            evidence.add(sources);
        }

        @Override
        public void onToken(String text) {
            tokens.add(text);
        }

        @Override
        public void onComplete(AskResponse response) {
            completed.add(response);
        }
    }

    @Test
    void aStreamingListenerHearsTheSearchResultsAndTheNotFoundAnswer() {
        QaService qa = service().build();
        HeardListener search = new HeardListener();
        AskResponse results = qa.ask(AskRequest.ask("长江有多长？").withMode(AskMode.SEARCH), search).result().join();
        assertFalse(results.sources().isEmpty());
        assertEquals(List.of(results.sources()), search.evidence, "the results come as the evidence, once");
        assertEquals(List.of(), search.tokens, "search mode writes no answer");
        assertEquals(List.of(results), search.completed);

        HeardListener nothing = new HeardListener();
        AskResponse notFound = qa.ask(AskRequest.ask("量子计算机的工作原理是什么？"), nothing).result().join();
        assertEquals(AnswerKind.NOT_FOUND, notFound.kind());
        assertEquals(List.of(List.of()), nothing.evidence);
        assertEquals(List.of(EvidencePrompt.NOT_FOUND), nothing.tokens, "the answer streams like a model's");
        assertEquals(List.of(notFound), nothing.completed);
    }

    /** A model that streams its pieces until it is cancelled, and counts the pieces it wrote. */
    static final class CountingModel implements StreamingChatModel {
        final List<String> pieces;
        final String complete;
        int written;
        ChatRequest request;

        CountingModel(String complete, String... pieces) {
            this.complete = complete;
            this.pieces = List.of(pieces);
        }

        @Override
        public void doChat(ChatRequest chatRequest, StreamingChatResponseHandler handler) {
            request = chatRequest;
            AtomicBoolean cancelled = new AtomicBoolean();
            StreamingHandle handle = new StreamingHandle() {
                @Override
                public void cancel() {
                    cancelled.set(true);
                }

                @Override
                public boolean isCancelled() {
                    return cancelled.get();
                }
            };
            for (String piece : pieces) {
                if (cancelled.get()) {
                    return;
                }
                written++;
                handler.onPartialResponse(new PartialResponse(piece), new PartialResponseContext(handle));
            }
            handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from(complete))
                    .finishReason(FinishReason.LENGTH).build());
        }
    }

    @Test
    void theModelStopsAtTheFirstTokenAfterACancelOrAListenersFailure() {
        CountingModel cancelledModel = new CountingModel("一二三四五", "一", "二", "三", "四", "五");
        AskHandle cancelled = service().chatModel(cancelledModel).build().ask(AskRequest.ask("你好")
                .withMode(AskMode.CHAT), new AnswerListener() {
                    AskHandle mine;

                    @Override
                    public void onStart(AskHandle h) {
                        mine = h;
                    }

                    @Override
                    public void onToken(String text) {
                        mine.cancel();
                    }
                });
        assertEquals("一", cancelled.result().join().answer());
        assertEquals(2, cancelledModel.written, "the token being written when the cancel came, then nothing");

        CountingModel failedModel = new CountingModel("一二三四五", "一", "二", "三", "四", "五");
        AskHandle failed = service().chatModel(failedModel).build().ask(AskRequest.ask("你好").withMode(AskMode.CHAT),
                new AnswerListener() {
                    @Override
                    public void onToken(String text) {
                        throw new IllegalStateException("the client is gone");
                    }
                });
        assertTrue(failed.result().isCompletedExceptionally());
        assertEquals(1, failedModel.written, "stopped at the failure");
    }

    @Test
    void theAnswerIsTheModelsCompleteTextAndItsSamplingTheRequests() {
        CountingModel model = new CountingModel("长江全长六千三百公里。", "长江", "全长", "六千三百公里。 ");
        dev.langchain4j.model.chat.request.ChatRequestParameters sampling =
                dev.langchain4j.model.chat.request.ChatRequestParameters.builder().temperature(0.3).build();
        AskResponse response = service().chatModel(model).build().ask(AskRequest.ask("长江有多长？")
                .withMode(AskMode.CHAT).withParameters(sampling));
        assertEquals("长江全长六千三百公里。", response.answer(), "the complete response, not the pieces joined");
        assertEquals("length", response.finishReason());
        assertEquals(0.3, model.request.parameters().temperature());
    }

    @Test
    void searchModeWithNoResultsSaysNotFound() {
        AskResponse none = service().build().ask(AskRequest.ask("量子计算机的工作原理是什么？").withMode(AskMode.SEARCH));
        assertEquals(List.of(), none.sources());
        assertEquals(EvidencePrompt.NOT_FOUND, none.answer());
        AskResponse some = service().build().ask(AskRequest.ask("长江有多长？").withMode(AskMode.SEARCH));
        assertEquals("", some.answer(), "results are not an answer");
        Source first = some.sources().get(0);
        assertEquals("长江", first.title());
        assertTrue(first.score() > 0, first.toString());
    }

    @Test
    void theResponseReportsHowLongRetrievalAndTheAnswerTook() {
        long before = System.nanoTime();
        AskResponse response = service().chatModel(new ScriptedModel("长江全长六千三百公里[1]。")).build()
                .ask(AskRequest.ask("长江有多长？"));
        double elapsedMillis = (System.nanoTime() - before) / 1e6;
        assertTrue(response.retrievalMillis() > 0 && response.retrievalMillis() <= elapsedMillis,
                response.retrievalMillis() + " of " + elapsedMillis);
        assertTrue(response.answerMillis() > 0 && response.answerMillis() <= elapsedMillis,
                response.answerMillis() + " of " + elapsedMillis);
    }

    @Test
    void searchResultsSayWhichPartOfTheQuestionFoundThem() {
        AskResponse results = service().build().ask(AskRequest.ask("长江有多长？另外，故宫在哪里？")
                .withMode(AskMode.SEARCH));
        assertEquals(List.of(0, 1), results.sources().stream().map(Source::part).distinct().sorted().toList());
        assertTrue(results.sources().stream().allMatch(s -> s.part() == (s.docId().equals("palace") ? 1 : 0)),
                results.sources().toString());
    }

    @Test
    void chatModeTellsTheListenerThatNothingWasSearched() {
        List<String> seen = new ArrayList<>();
        service().chatModel(new ScriptedModel("你好")).build().ask(AskRequest.ask(" 你好 ").withMode(AskMode.CHAT),
                new AnswerListener() {
                    @Override
                    public void onEvidence(String standalone, List<String> parts, List<Source> evidence) {
                        seen.add(standalone + "|" + parts + "|" + evidence);
                    }
                }).result().join();
        assertEquals(List.of(" 你好 |[ 你好 ]|[]"), seen, "the question as its own only part, and no evidence");
    }

    @Test
    void isALangChain4jRetrievalAugmentorWhoseContentsAreTheCitations() {
        CitedRetrievalAugmentor augmentor = CitedRetrievalAugmentor.builder()
                .contentRetriever(ChineseContentRetriever.builder().searcher(new ChunkSearcher(index))
                        .dynamicFilter(RagQueries::filter).build())
                .contentInjector(CitingContentInjector.builder().tokenCountEstimator(estimator).build())
                .build();
        UserMessage question = UserMessage.from("长江有多长？以及故宫在哪里？");
        AugmentationResult result = augmentor.augment(new AugmentationRequest(question,
                RagQueries.metadata(question, null, List.of(), RagQueries.parameters(Set.of(), Set.of()))));
        String message = ((UserMessage) result.chatMessage()).singleText();
        for (int i = 0; i < result.contents().size(); i++) {
            Content c = result.contents().get(i);
            assertEquals(i + 1, c.textSegment().metadata().getInteger(Evidence.NUMBER));
            assertTrue(message.contains("[" + (i + 1) + "] 来源：《" + c.textSegment().metadata()
                    .getString(ChineseContentRetriever.FILE_NAME) + "》"));
        }
        assertTrue(result.contents().stream().anyMatch(c -> "palace".equals(c.textSegment().metadata()
                .getString(ChineseContentRetriever.DOCUMENT_ID))));
    }
}
