package io.yinghuo.retrieval.rag;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The small text rules the splitter and the follow-up rewriter share. */
class QuestionTextTest {

    @Test
    void aQuestionMarkAnywhereMakesAQuestionEvenAtTheStart() {
        assertTrue(QuestionText.isQuestionLike("？长江"));
        assertTrue(QuestionText.isQuestionLike("?长江"));
        assertTrue(QuestionText.isQuestionLike("长江多长"));
        assertFalse(QuestionText.isQuestionLike("长江很长。"));
    }

    @Test
    void aLeadingConnectiveAndItsCommasAreDropped() {
        assertEquals("黄河有多长？", QuestionText.stripLeadingConnective("另外，黄河有多长？"));
        assertEquals("黄河有多长？", QuestionText.stripLeadingConnective(" 以及、黄河有多长？"));
        assertEquals("黄河有多长？", QuestionText.stripLeadingConnective("另，黄河有多长？"));
    }

    @Test
    void aConnectiveAloneOrStartingAWordIsKept() {
        assertEquals("另外", QuestionText.stripLeadingConnective("另外"));
        assertEquals("另", QuestionText.stripLeadingConnective("另"));
        // "另" is a connective only before a comma: "另一个" is a word.
        assertEquals("另一个问题是什么？", QuestionText.stripLeadingConnective("另一个问题是什么？"));
    }

    @Test
    void endPunctuationIsStrippedEvenWhenNothingElseIsLeft() {
        assertEquals("长江有多长", QuestionText.stripEndPunctuation("长江有多长？！ "));
        assertEquals("", QuestionText.stripEndPunctuation("？。 "));
        assertEquals("", QuestionText.stripEndPunctuation(""));
    }
}
