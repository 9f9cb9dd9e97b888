package io.yinghuo.model.langchain4j;

import io.yinghuo.model.chat.ChatTemplate;
import io.yinghuo.model.chat.ChatTemplates;
import io.yinghuo.model.chat.Conversation;
import io.yinghuo.model.chat.Exchange;
import io.yinghuo.model.chat.FittedPrompt;
import io.yinghuo.model.synth.SentencePieceModelWriter;
import io.yinghuo.model.tokenizer.SentencePieceTokenizer;
import io.yinghuo.model.tokenizer.Tokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The prompt of a request within the context, with the tokenizer and template alone: the whole conversation when
 * it fits, the newest exchanges that fit when the oldest may go, and otherwise a refusal that gives the counts a
 * server reports (OpenAI's 400 {@code context_length_exceeded}).
 */
class PromptFitterTest {

    @TempDir
    static Path dir;
    static Tokenizer tokenizer;
    static final ChatTemplate TEMPLATE = ChatTemplates.alpaca2();

    static final Conversation THREE_EXCHANGES = new Conversation("你是助手。", List.of(
            new Exchange("第一个问题是什么", "第一个回答很长很长很长"),
            new Exchange("second question here", "second answer here"),
            new Exchange("第三个问题", "第三个回答")), "最后的问题");

    @BeforeAll
    static void tokenizer() {
        tokenizer = SentencePieceTokenizer.load(SentencePieceModelWriter.small().write(dir.resolve("tokenizer.model")));
    }

    private static int[] ids(Conversation conversation) {
        return TEMPLATE.encode(conversation, tokenizer);
    }

    private static FittedPrompt fit(Conversation conversation, String prefill, int context, int answer,
                                    boolean dropOldest) {
        return PromptFitter.fit(TEMPLATE, tokenizer, new MessageMapper.Mapped(conversation, prefill), context, answer,
                dropOldest);
    }

    @Test
    void aPromptThatFitsExactlyIsTheTemplatesIdsFollowedByThePrefill() {
        int[] prompt = ids(THREE_EXCHANGES);
        int[] prefill = tokenizer.encode("好的，");
        int[] expected = IntStream.concat(Arrays.stream(prompt), Arrays.stream(prefill)).toArray();
        int context = expected.length + 10;
        FittedPrompt fitted = fit(THREE_EXCHANGES, "好的，", context, 10, false);
        assertArrayEquals(expected, fitted.ids());
        assertEquals(0, fitted.droppedExchanges());

        ContextLengthExceededException e = assertThrows(ContextLengthExceededException.class,
                () -> fit(THREE_EXCHANGES, "好的，", context - 1, 10, false), "one token over");
        assertEquals(expected.length, e.promptTokens());
        assertEquals(context - 1, e.contextLength());
        assertEquals(10, e.answerTokens());
        assertEquals("the prompt does not fit: this model's maximum context length is " + (context - 1) + " tokens"
                + " and 10 of them are kept for the answer, but the messages take " + expected.length + " tokens"
                + " (leaving out earlier exchanges is turned off for this request); reduce the length of the messages"
                + " or maxOutputTokens", e.getMessage());
    }

    @Test
    void aSingleQuestionTooLongIsRefusedWithoutTalkOfEarlierExchanges() {
        Conversation alone = new Conversation("你是助手。", List.of(), "一个问题");
        int length = ids(alone).length;
        ContextLengthExceededException e = assertThrows(ContextLengthExceededException.class,
                () -> fit(alone, null, length + 3, 4, true));
        assertEquals(length, e.promptTokens());
        assertTrue(e.getMessage().endsWith("but the messages take " + length + " tokens; reduce the length of the"
                + " messages or maxOutputTokens"), e.getMessage());
    }

    /** For every context size: the prompt, the prefill and the answer's room fit, and no older exchange would. */
    @Test
    void theOldestExchangesGoUntilThePromptThePrefillAndTheAnswerFit() {
        int[] prefill = tokenizer.encode("好的，");
        int answer = 7;
        int shortest = ids(THREE_EXCHANGES.withoutOldestExchanges(3)).length + prefill.length;
        int whole = ids(THREE_EXCHANGES).length + prefill.length;
        for (int context = shortest + answer; context < whole + answer; context++) {
            FittedPrompt fitted = fit(THREE_EXCHANGES, "好的，", context, answer, true);
            int dropped = fitted.droppedExchanges();
            assertTrue(dropped > 0 && dropped <= 3, "context " + context);
            assertTrue(fitted.ids().length + answer <= context, "context " + context);
            assertEquals(ids(THREE_EXCHANGES.withoutOldestExchanges(dropped)).length + prefill.length,
                    fitted.ids().length, "context " + context);
            assertArrayEquals(prefill, Arrays.copyOfRange(fitted.ids(), fitted.ids().length - prefill.length,
                    fitted.ids().length), "the prefill stays last");
            int withOneMore = ids(THREE_EXCHANGES.withoutOldestExchanges(dropped - 1)).length + prefill.length;
            assertTrue(withOneMore + answer > context, "one exchange fewer dropped would not fit, context " + context);
        }
    }

    @Test
    void whenEvenTheLastQuestionAloneCannotFitTheShortestPromptIsReported() {
        int[] prefill = tokenizer.encode("好的，");
        int shortest = ids(THREE_EXCHANGES.withoutOldestExchanges(3)).length + prefill.length;
        ContextLengthExceededException e = assertThrows(ContextLengthExceededException.class,
                () -> fit(THREE_EXCHANGES, "好的，", shortest + 4, 5, true));
        assertEquals(shortest, e.promptTokens());
        assertEquals(shortest + 4, e.contextLength());
        assertEquals(5, e.answerTokens());
        assertTrue(e.getMessage().contains("but the messages take " + shortest + " tokens even with all 3 earlier"
                + " exchanges left out;"), e.getMessage());
    }
}
