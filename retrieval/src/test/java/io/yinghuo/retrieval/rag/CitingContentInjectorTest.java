package io.yinghuo.retrieval.rag;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.rag.content.Content;
import io.yinghuo.model.chat.ChatTemplate;
import io.yinghuo.model.chat.ChatTemplates;
import io.yinghuo.model.chat.Conversation;
import io.yinghuo.model.langchain4j.YinghuoTokenCountEstimator;
import io.yinghuo.model.synth.SentencePieceModelWriter;
import io.yinghuo.model.tokenizer.SentencePieceTokenizer;
import io.yinghuo.model.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Packing never exceeds the budget as the model itself counts it: the chat template's real prompt ids, not only the
 * estimator's sum, plus the answer room fit the context.
 */
class CitingContentInjectorTest {

    @TempDir
    Path dir;

    private static final String SYSTEM = "你根据用户提供的资料回答问题，并用方括号中的编号注明出处。";

    @Test
    void neverOverflowsAContextWithTheRealTokenizerOnLongChineseDocuments() throws IOException {
        Tokenizer tokenizer = SentencePieceTokenizer.load(RagTestData.realTokenizerOrSkip());
        List<Content> passages = RagTestData.longChinesePassagesOrSkip(400);
        for (ChatTemplate template : List.of(ChatTemplates.alpaca2(), ChatTemplates.llama2Chat(),
                ChatTemplates.firefly())) {
            for (int context : new int[] {4096, 16384}) {
                for (int answer : new int[] {400, 1024}) {
                    for (int turns : new int[] {0, 3, 40}) {
                        checkFits(tokenizer, template, passages, context, answer, turns);
                    }
                }
            }
        }
    }

    @Test
    void neverOverflowsAContextWithASynthesizedTokenizer() {
        Tokenizer tokenizer = SentencePieceTokenizer.load(
                SentencePieceModelWriter.small().write(dir.resolve("tokenizer.model")));
        // The small vocabulary spells most Chinese characters as three byte pieces: few passages fit.
        List<Content> passages = RagTestData.generatedPassages(60, 120);
        for (int context : new int[] {1024, 2048, 4096}) {
            for (int turns : new int[] {0, 2, 10}) {
                checkFits(tokenizer, ChatTemplates.alpaca2(), passages, context, 256, turns);
            }
        }
    }

    private static void checkFits(Tokenizer tokenizer, ChatTemplate template, List<Content> passages, int context,
                                  int answer, int turns) {
        YinghuoTokenCountEstimator estimator = new YinghuoTokenCountEstimator(tokenizer, template, SYSTEM);
        CitingContentInjector injector = CitingContentInjector.builder().tokenCountEstimator(estimator)
                .contextTokens(context).answerTokens(answer).build();
        List<ChatMessage> history = new ArrayList<>();
        for (int i = 0; i < turns; i++) {
            history.add(UserMessage.from("第" + i + "个问题：台湾的高山族有哪些主要的节日和习俗？"));
            history.add(AiMessage.from("第" + i + "个回答：" + "高山族的节日包括丰年祭、矮灵祭等，习俗各不相同。".repeat(4)));
        }
        List<String> parts = List.of("台北的人口是多少", "高雄港的吞吐量是多少");
        UserMessage question = UserMessage.from("台北的人口是多少？另外，高雄港的吞吐量是多少？");
        PackedContext packed = injector.pack(passages, question, SystemMessage.from(SYSTEM), history, parts);

        String where = template.name() + ", context " + context + ", answer " + answer + ", " + turns + " turns";
        assertTrue(packed.promptTokens() <= injector.budget(), where);
        assertFalse(packed.evidence().isEmpty(), where + ": some evidence fits");
        // What the model will actually encode.
        List<io.yinghuo.model.chat.ChatMessage> engine = new ArrayList<>();
        engine.add(io.yinghuo.model.chat.ChatMessage.system(SYSTEM));
        for (ChatMessage m : packed.history()) {
            engine.add(m instanceof UserMessage u ? io.yinghuo.model.chat.ChatMessage.user(u.singleText())
                    : io.yinghuo.model.chat.ChatMessage.assistant(((AiMessage) m).text()));
        }
        engine.add(io.yinghuo.model.chat.ChatMessage.user(packed.message().singleText()));
        int promptIds = template.encode(Conversation.fromMessages(engine), tokenizer).length;
        assertTrue(promptIds + answer <= context, where + ": " + promptIds + " prompt ids + " + answer
                + " for the answer overflow " + context);
        // The budget is used, not wasted: what is left is less than the next passage would need (or all fit).
        if (packed.leftOut() > 0) {
            assertTrue(promptIds > context - answer - 16 - 400, where + ": only " + promptIds + " used");
        }
        // History never takes more than half of the budget.
        if (turns > 0 && packed.droppedMessages() > 0) {
            assertTrue(packed.history().size() < history.size());
        }
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < packed.evidence().size(); i++) {
            Evidence e = packed.evidence().get(i);
            assertEquals(i + 1, e.number());
            assertEquals(i + 1, e.content().textSegment().metadata().getInteger(Evidence.NUMBER));
            assertTrue(keys.add(e.docId() + "#" + e.chunkIndex()), "no passage twice");
            assertTrue(packed.message().singleText().contains("[" + (i + 1) + "] 来源：《" + e.fileName() + "》"));
        }
    }

    @Test
    void numbersDeduplicatesGroupsByPartAndLabelsFileAndPage() {
        YinghuoTokenCountEstimator estimator = new YinghuoTokenCountEstimator(SentencePieceTokenizer.load(
                SentencePieceModelWriter.small().write(dir.resolve("t.model"))), ChatTemplates.alpaca2());
        CitingContentInjector injector = CitingContentInjector.builder().tokenCountEstimator(estimator)
                .contextTokens(4096).answerTokens(256).build();
        List<Content> candidates = List.of(
                RagTestData.passage("a", 0, "甲文档第一段。", 0),
                RagTestData.passage("b", 2, "乙文档第三段。", 1),
                RagTestData.passage("a", 0, "甲文档第一段。", 1), // the same chunk for the other part: once
                RagTestData.passage("a", 1, "甲文档第二段。", 0),
                RagTestData.passage("b", 3, "乙文档第四段。", 1));
        PackedContext packed = injector.pack(candidates, UserMessage.from("甲和乙分别说了什么？"), null, List.of(),
                List.of("甲说了什么", "乙说了什么"));
        assertEquals(List.of("a#0", "a#1", "b#2", "b#3"), packed.evidence().stream()
                .map(e -> e.docId() + "#" + e.chunkIndex()).toList());
        assertEquals(List.of(0, 0, 1, 1), packed.evidence().stream().map(Evidence::part).toList());
        String message = packed.message().singleText();
        assertTrue(message.contains("[1] 来源：《a.pdf》（标题a）第1页\n甲文档第一段。"), message);
        assertTrue(message.contains("[3] 来源：《b.pdf》（标题b）第3页\n乙文档第三段。"), message);
        assertTrue(message.contains("问题：甲和乙分别说了什么？"), message);
        assertTrue(message.contains("1. 甲说了什么；2. 乙说了什么"), message);
        assertTrue(message.indexOf("资料：") < message.indexOf("问题："), "evidence before the question");
        assertTrue(message.contains(EvidencePrompt.NOT_FOUND));
        assertEquals(0, packed.leftOut());
    }

    @Test
    void dropsOldHistoryBeforeEvidenceAndRefusesAQuestionThatCannotFit() {
        YinghuoTokenCountEstimator estimator = new YinghuoTokenCountEstimator(SentencePieceTokenizer.load(
                SentencePieceModelWriter.small().write(dir.resolve("t.model"))), ChatTemplates.alpaca2());
        CitingContentInjector injector = CitingContentInjector.builder().tokenCountEstimator(estimator)
                .contextTokens(1024).answerTokens(200).build();
        List<ChatMessage> history = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            history.add(UserMessage.from("hello world " + i));
            history.add(AiMessage.from("the answer is " + "hello ".repeat(20)));
        }
        PackedContext packed = injector.pack(RagTestData.generatedPassages(10, 60), UserMessage.from("北京在哪里？"),
                null, history, List.of("北京在哪里"));
        assertTrue(packed.droppedMessages() > 0);
        assertEquals(history.subList(packed.droppedMessages(), history.size()), packed.history(),
                "the newest exchanges are kept, oldest dropped first");
        assertTrue(packed.history().get(0) instanceof UserMessage, "whole exchanges are dropped");
        assertFalse(packed.evidence().isEmpty());

        String huge = "北京".repeat(2000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> injector.pack(List.of(),
                UserMessage.from(huge), null, List.of(), List.of(huge)));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
    }

    @Test
    void asAPlainContentInjectorItPacksTheMessageAlone() {
        YinghuoTokenCountEstimator estimator = new YinghuoTokenCountEstimator(SentencePieceTokenizer.load(
                SentencePieceModelWriter.small().write(dir.resolve("t.model"))), ChatTemplates.alpaca2());
        CitingContentInjector injector = CitingContentInjector.builder().tokenCountEstimator(estimator).build();
        ChatMessage injected = injector.inject(List.of(RagTestData.passage("a", 0, "北京是中国的首都。")),
                UserMessage.from("中国的首都是哪里？"));
        String text = ((UserMessage) injected).singleText();
        assertTrue(text.contains("[1] 来源：《a.pdf》") && text.endsWith("问题：中国的首都是哪里？"), text);
    }

    /** One token per character of every message: budgets in these tests can be worked out by hand. */
    static final class CharacterCounter implements TokenCountEstimator {
        @Override
        public int estimateTokenCountInText(String text) {
            return text.length();
        }

        @Override
        public int estimateTokenCountInMessage(ChatMessage message) {
            if (message instanceof UserMessage u) {
                return u.singleText().length();
            }
            if (message instanceof AiMessage a) {
                return a.text().length();
            }
            return ((SystemMessage) message).text().length();
        }

        @Override
        public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
            int total = 0;
            for (ChatMessage m : messages) {
                total += estimateTokenCountInMessage(m);
            }
            return total;
        }
    }

    /** Exchanges of exactly {@code chars} characters each (question and answer half each), oldest first. */
    private static List<ChatMessage> exchanges(int count, int chars) {
        List<ChatMessage> history = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String q = ("问" + i + "题").repeat(chars);
            history.add(UserMessage.from(q.substring(0, chars / 2)));
            history.add(AiMessage.from(("答" + i).repeat(chars).substring(0, chars - chars / 2)));
        }
        return history;
    }

    private static int tokens(List<ChatMessage> messages) {
        return new CharacterCounter().estimateTokenCountInMessages(messages);
    }

    @Test
    void historyGetsAtMostHalfOfTheBudgetSoEvidenceKeepsItsRoom() {
        CitingContentInjector injector = CitingContentInjector.builder().tokenCountEstimator(new CharacterCounter())
                .contextTokens(1000).answerTokens(0).safetyTokens(0).build();
        assertEquals(1000, injector.budget());
        // Eight exchanges of 100 tokens: 800 would fit the budget with the question, but only 500 may be history.
        List<ChatMessage> history = exchanges(8, 100);
        List<Content> passages = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            passages.add(RagTestData.passage("doc" + i, 0, "长江资料".repeat(10)));
        }
        PackedContext packed = injector.pack(passages, UserMessage.from("长江有多长？"), null, history,
                List.of("长江有多长"));

        assertEquals(500, tokens(packed.history()), "history fills its half exactly: exchanges of 100 fit 5 times");
        assertEquals(history.subList(6, 16), packed.history(), "the five newest exchanges are kept");
        assertEquals(6, packed.droppedMessages());
        assertFalse(packed.evidence().isEmpty(), "the other half holds evidence");
        assertTrue(packed.promptTokens() <= 1000);

        // History that already fits in half the budget is kept whole.
        PackedContext small = injector.pack(passages, UserMessage.from("长江有多长？"), null, exchanges(5, 100),
                List.of("长江有多长"));
        assertEquals(0, small.droppedMessages());
        assertEquals(10, small.history().size());
    }

    @Test
    void anOldExchangeGivesWayWhenNotEvenOnePassageWouldFit() {
        CitingContentInjector injector = CitingContentInjector.builder().tokenCountEstimator(new CharacterCounter())
                .contextTokens(1000).answerTokens(0).safetyTokens(0).build();
        // Two exchanges of 200 (within half the budget) and one passage of about 550 tokens: the passage fits
        // only once the older exchange is gone.
        List<ChatMessage> history = exchanges(2, 200);
        Content passage = RagTestData.passage("river", 0, "长江全长六千三百公里。".repeat(50));
        PackedContext packed = injector.pack(List.of(passage), UserMessage.from("长江有多长？"), null, history,
                List.of("长江有多长"));
        assertEquals(List.of("river"), packed.evidence().stream().map(Evidence::docId).toList());
        assertEquals(history.subList(2, 4), packed.history(), "only the newest exchange is kept");
        assertEquals(2, packed.droppedMessages());
        assertEquals(0, packed.leftOut());
        assertTrue(packed.promptTokens() <= injector.budget());
    }
    private static CitingContentInjector injectorWithBudget(TokenCountEstimator estimator, int budget) {
        return CitingContentInjector.builder().tokenCountEstimator(estimator).contextTokens(budget).answerTokens(0)
                .safetyTokens(0).build();
    }

    /** What the question's message costs with no evidence ("（无）"), one token per character. */
    private static int questionTokens(String question) {
        return new EvidencePrompt().message("", question, List.of(question)).length();
    }

    /** What one passage's numbered block costs, one token per character (numbers below 10). */
    private static int blockTokens(Content passage) {
        return new EvidencePrompt().block(1, new Evidence(1, 0, passage)).length();
    }

    @Test
    void theBudgetIsTheContextLessTheAnswerAndTheMarginAndMustLeaveOneToken() {
        CharacterCounter counter = new CharacterCounter();
        EvidencePrompt prompt = new EvidencePrompt();
        CitingContentInjector injector = CitingContentInjector.builder().tokenCountEstimator(counter)
                .contextTokens(600).answerTokens(583).safetyTokens(16).prompt(prompt).build();
        assertEquals(1, injector.budget());
        assertEquals(600, injector.contextTokens());
        assertEquals(583, injector.answerTokens());
        assertTrue(injector.estimator() == counter && injector.prompt() == prompt);
        assertEquals(1, CitingContentInjector.builder().tokenCountEstimator(counter).contextTokens(1).answerTokens(0)
                .safetyTokens(0).build().budget(), "a context of one token");
        assertThrows(IllegalArgumentException.class, () -> CitingContentInjector.builder().contextTokens(0));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> CitingContentInjector
                .builder().tokenCountEstimator(counter).contextTokens(600).answerTokens(584).safetyTokens(16).build());
        assertTrue(none.getMessage().contains("leaves no room for a prompt"), none.getMessage());
    }

    @Test
    void aQuestionThatFillsTheBudgetExactlyIsAskedWithoutEvidence() {
        String question = "长江有多长？";
        CitingContentInjector injector = injectorWithBudget(new CharacterCounter(), questionTokens(question));
        PackedContext packed = injector.pack(List.of(RagTestData.passage("river", 0, "长江全长六千三百公里。")),
                UserMessage.from(question), null, List.of(), List.of(question));
        assertEquals(List.of(), packed.evidence());
        assertEquals(1, packed.leftOut());
        assertEquals(injector.budget(), packed.promptTokens());
        // one token less and the question itself does not fit
        CitingContentInjector smaller = injectorWithBudget(new CharacterCounter(), questionTokens(question) - 1);
        assertThrows(IllegalArgumentException.class, () -> smaller.pack(List.of(), UserMessage.from(question), null,
                List.of(), List.of(question)));
    }

    @Test
    void historyThatFillsTheBudgetExactlyWithTheQuestionIsKept() {
        // A long question (over half the budget) and an exchange of 300: together exactly the budget, with no
        // evidence to make room for.
        String question = "长江" + "有多长".repeat(200) + "？";
        List<ChatMessage> history = exchanges(1, 300);
        CitingContentInjector injector = injectorWithBudget(new CharacterCounter(), questionTokens(question) + 300);
        PackedContext packed = injector.pack(List.of(), UserMessage.from(question), null, history,
                List.of(question));
        assertEquals(history, packed.history());
        assertEquals(0, packed.droppedMessages());
        assertEquals(injector.budget(), packed.promptTokens());
    }

    @Test
    void aPassageThatFillsTheRoomLeftExactlyIsPackedAndOneTokenLongerIsLeftOut() {
        String question = "长江有多长？";
        Content passage = RagTestData.passage("river", 0, "长江全长六千三百公里，".repeat(20));
        int exact = questionTokens(question) + blockTokens(passage);
        PackedContext packed = injectorWithBudget(new CharacterCounter(), exact).pack(List.of(passage),
                UserMessage.from(question), null, List.of(), List.of(question));
        assertEquals(List.of("river"), packed.evidence().stream().map(Evidence::docId).toList());
        assertEquals(0, packed.leftOut());
        assertTrue(packed.promptTokens() <= exact);
        PackedContext tight = injectorWithBudget(new CharacterCounter(), exact - 1).pack(List.of(passage),
                UserMessage.from(question), null, List.of(), List.of(question));
        assertEquals(List.of(), tight.evidence());
        assertEquals(1, tight.leftOut());
    }

    @Test
    void everyExchangeGivesWayWhenOnlyAllOfThemLeaveRoomForThePassage() {
        // The passage fits exactly once both exchanges of 200 are gone; with either of them it does not.
        String question = "长江有多长？";
        Content passage = RagTestData.passage("river", 0, "长江全长六千三百公里，".repeat(70));
        List<ChatMessage> history = exchanges(2, 200);
        CitingContentInjector injector = injectorWithBudget(new CharacterCounter(),
                questionTokens(question) + blockTokens(passage));
        assertTrue(injector.budget() / 2 >= 400, "the history is within its half of the budget");
        PackedContext packed = injector.pack(List.of(passage), UserMessage.from(question), null, history,
                List.of(question));
        assertEquals(List.of("river"), packed.evidence().stream().map(Evidence::docId).toList());
        assertEquals(List.of(), packed.history());
        assertEquals(4, packed.droppedMessages());
    }

    @Test
    void aQuestionLeftWithoutAnAnswerIsDroppedLikeAnExchange() {
        // History: one exchange of 100, then a question of 600 characters whose answer never came (a failed or
        // stopped answer). Half the budget is 500, so both must go: the exchange first, then the lone question.
        String question = "长江有多长？";
        List<ChatMessage> history = new ArrayList<>(exchanges(1, 100));
        history.add(UserMessage.from("黄河".repeat(300)));
        CitingContentInjector injector = injectorWithBudget(new CharacterCounter(), 1000);
        PackedContext packed = injector.pack(List.of(RagTestData.passage("river", 0, "长江全长六千三百公里。")),
                UserMessage.from(question), null, history, List.of(question));
        assertEquals(List.of(), packed.history());
        assertEquals(3, packed.droppedMessages());
        assertEquals(List.of("river"), packed.evidence().stream().map(Evidence::docId).toList());
    }

    /**
     * Counts as {@link CharacterCounter} does, but a whole message costs 10 more per passage block in it than its
     * pieces: as when a tokenizer merges characters across the joins of the blocks.
     */
    private static final class MergingCounter implements TokenCountEstimator {
        private final CharacterCounter plain = new CharacterCounter();

        @Override
        public int estimateTokenCountInText(String text) {
            return plain.estimateTokenCountInText(text);
        }

        @Override
        public int estimateTokenCountInMessage(ChatMessage message) {
            int extra = 0;
            if (message instanceof UserMessage user) {
                extra = 10 * (user.singleText().split("] 来源：", -1).length - 1);
            }
            return plain.estimateTokenCountInMessage(message) + extra;
        }

        @Override
        public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
            int total = 0;
            for (ChatMessage m : messages) {
                total += estimateTokenCountInMessage(m);
            }
            return total;
        }
    }

    @Test
    void whenTheFinishedMessageCountsMoreThanItsPiecesTheLowestPriorityPassageIsTakenBack() {
        String question = "长江有多长？";
        // priority order: the first part's best, the second part's best, the first part's second
        List<Content> passages = List.of(
                RagTestData.passage("a", 0, "长江全长六千三百公里。".repeat(3), 0),
                RagTestData.passage("b", 0, "黄河全长五千四百六十四公里。".repeat(3), 1),
                RagTestData.passage("c", 0, "长江流经十一个省级行政区。".repeat(3), 0));
        List<String> parts = List.of("长江有多长", "黄河有多长");
        int pieces = new EvidencePrompt().message("", question, parts).length();
        for (Content passage : passages) {
            pieces += blockTokens(passage);
        }
        CitingContentInjector injector = injectorWithBudget(new MergingCounter(), pieces);
        PackedContext packed = injector.pack(passages, UserMessage.from(question), null, List.of(), parts);
        // all three fit by their pieces; the whole message does not, so c goes and a, b are numbered again
        assertEquals(List.of("a", "b"), packed.evidence().stream().map(Evidence::docId).toList());
        assertEquals(List.of(1, 2), packed.evidence().stream().map(Evidence::number).toList());
        assertEquals(1, packed.leftOut());
        assertTrue(packed.promptTokens() <= injector.budget(), packed.promptTokens() + " > " + injector.budget());
        assertFalse(packed.message().singleText().contains("[3]"));
    }

    @Test
    void asAPlainContentInjectorAnythingButAUserMessageIsLeftAlone() {
        CitingContentInjector injector = injectorWithBudget(new CharacterCounter(), 1000);
        List<Content> passages = List.of(RagTestData.passage("a", 0, "北京是中国的首都。"));
        SystemMessage system = SystemMessage.from("你是助手。");
        AiMessage answer = AiMessage.from("北京。");
        assertTrue(injector.inject(passages, system) == system);
        assertTrue(injector.inject(passages, answer) == answer);
    }
}
