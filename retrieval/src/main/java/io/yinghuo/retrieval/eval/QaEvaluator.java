package io.yinghuo.retrieval.eval;

import io.yinghuo.retrieval.rag.AnswerKind;
import io.yinghuo.retrieval.rag.AskResponse;
import io.yinghuo.retrieval.rag.Citations;
import io.yinghuo.retrieval.rag.Source;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Runs every question of a set through the whole answering pipeline and scores the responses.
 *
 * <ul>
 *   <li><b>Evidence coverage</b>: for every part of the question (its gold document and answer group), the packed
 *       context holds a passage of that document containing one of the part's reference answers verbatim.
 *       Independent of the model: it measures what the model was given.</li>
 *   <li><b>EM / F1</b> ({@link CmrcScorer}), on model answers only, citation marks removed. Single-document: the
 *       whole answer against the references, as the CMRC script does. Multi-document: a free-text answer covers
 *       both parts, so each part is scored against the answer's best sentence-like segment (split at 。！？；,
 *       line breaks and list numbers) or the whole answer, whichever scores higher; EM needs every part to match
 *       exactly, F1 is the mean over the parts.</li>
 *   <li><b>Citation precision</b>: of all sources the answers cite, the share whose text contains a reference
 *       answer of the question.</li>
 * </ul>
 */
public final class QaEvaluator {

    /** What is evaluated: one question in, the full response out. */
    @FunctionalInterface
    public interface Answerer {
        AskResponse answer(EvalQuestion question) throws IOException;
    }

    private static final Pattern SEGMENT_BREAK = Pattern.compile("[。！？!?；;\\n]|(?:^|\\s)\\d+[.、．)]");

    private QaEvaluator() {
    }

    /**
     * @param evalDocId maps a document id of the index to the evaluation set's document id
     */
    public static QaReport evaluate(String source, List<EvalQuestion> questions, Function<String, String> evalDocId,
                                    Answerer answerer) throws IOException {
        Tally single = new Tally();
        Tally multi = new Tally();
        int cited = 0;
        int citedCorrect = 0;
        int notFound = 0;
        int modelAnswers = 0;
        double[] retrieval = new double[questions.size()];
        double[] total = new double[questions.size()];
        int n = 0;
        for (EvalQuestion question : questions) {
            long start = System.nanoTime();
            AskResponse response = answerer.answer(question);
            total[n] = (System.nanoTime() - start) / 1e6;
            retrieval[n++] = response.retrievalMillis();
            Tally tally = question.multiDocument() ? multi : single;
            tally.questions++;
            tally.evidence += response.evidence().size();
            boolean allCovered = true;
            boolean allDocs = true;
            for (int part = 0; part < question.goldDocIds().size(); part++) {
                String gold = question.goldDocIds().get(part);
                List<String> answers = question.answerGroups().get(part);
                boolean doc = false;
                boolean covered = false;
                for (Source s : response.evidence()) {
                    if (gold.equals(evalDocId.apply(s.docId()))) {
                        doc = true;
                        covered |= containsAny(s.text(), answers);
                    }
                }
                allDocs &= doc;
                allCovered &= covered;
            }
            tally.covered += allCovered ? 1 : 0;
            tally.docsCovered += allDocs ? 1 : 0;
            if (response.kind() == AnswerKind.NOT_FOUND) {
                notFound++;
            }
            if (response.kind() == AnswerKind.MODEL) {
                modelAnswers++;
                tally.modelAnswers++;
                tally.promptTokens += response.promptTokens();
                score(question, Citations.strip(response.answer()), tally);
            }
            for (Source s : response.sources()) {
                cited++;
                boolean correct = false;
                for (List<String> group : question.answerGroups()) {
                    correct |= containsAny(s.text(), group);
                }
                citedCorrect += correct ? 1 : 0;
            }
        }
        Arrays.sort(retrieval, 0, n);
        Arrays.sort(total, 0, n);
        return new QaReport(source, single.figures(), multi.figures(), cited,
                cited == 0 ? null : (double) citedCorrect / cited, notFound, modelAnswers,
                percentile(retrieval, n, 0.50), percentile(retrieval, n, 0.99), percentile(total, n, 0.50),
                percentile(total, n, 0.99));
    }

    private static void score(EvalQuestion question, String answer, Tally tally) {
        if (!question.multiDocument()) {
            List<String> refs = question.answerGroups().get(0);
            tally.em += CmrcScorer.exactMatch(refs, answer) ? 1 : 0;
            tally.f1 += CmrcScorer.f1(refs, answer);
            return;
        }
        List<String> segments = new ArrayList<>();
        segments.add(answer);
        for (String segment : SEGMENT_BREAK.split(answer)) {
            if (!segment.isBlank()) {
                segments.add(segment);
            }
        }
        boolean allExact = true;
        double f1 = 0;
        for (List<String> refs : question.answerGroups()) {
            boolean exact = false;
            double best = 0;
            for (String segment : segments) {
                exact |= CmrcScorer.exactMatch(refs, segment);
                best = Math.max(best, CmrcScorer.f1(refs, segment));
            }
            allExact &= exact;
            f1 += best;
        }
        tally.em += allExact ? 1 : 0;
        tally.f1 += f1 / question.answerGroups().size();
    }

    private static boolean containsAny(String text, List<String> answers) {
        for (String answer : answers) {
            if (!answer.isBlank() && text.contains(answer)) {
                return true;
            }
        }
        return false;
    }

    private static double percentile(double[] sorted, int n, double p) {
        return n == 0 ? 0 : sorted[RetrievalEvaluator.nearestRank(n, p)];
    }

    private static final class Tally {
        int questions;
        int covered;
        int docsCovered;
        int evidence;
        int modelAnswers;
        long promptTokens;
        int em;
        double f1;

        QaReport.TypeFigures figures() {
            if (questions == 0) {
                return null;
            }
            return new QaReport.TypeFigures(questions, (double) covered / questions, (double) docsCovered / questions,
                    modelAnswers == 0 ? null : (double) em / modelAnswers,
                    modelAnswers == 0 ? null : f1 / modelAnswers, (double) evidence / questions,
                    modelAnswers == 0 ? null : (double) promptTokens / modelAnswers);
        }
    }
}
