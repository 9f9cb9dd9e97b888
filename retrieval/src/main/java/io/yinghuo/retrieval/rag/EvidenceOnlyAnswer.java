package io.yinghuo.retrieval.rag;

import io.yinghuo.retrieval.analysis.ChineseTextNormalizer;

import java.util.List;
import java.util.Locale;

/**
 * The answer given when no model is loaded: a note saying that these are passages, not a generated answer, then the
 * best passages of each part (at most {@value #PASSAGES_PER_PART} per part) as "[n] label：excerpt", so that they are
 * cited, and their sources listed, as a model's answer would cite them.
 *
 * <p>It is the one answer Yinghuo writes itself, with rules of its own (how many passages per part, where an
 * excerpt starts), so it lives apart from the service that decides when to give it.
 */
final class EvidenceOnlyAnswer {

    static final String NOTE = "（未加载模型：以下是与问题最相关的原文段落，原样摘录，不是模型生成的回答。）";
    static final int PASSAGES_PER_PART = 2;
    static final int EXCERPT_CHARS = 160;
    /** How far before the part's first word an excerpt may start, to begin at the start of its sentence. */
    private static final int LEAD_CHARS = 60;

    private EvidenceOnlyAnswer() {
    }

    /**
     * The answer for {@code evidence} (in number order) to a question split into {@code parts}; a passage's part
     * beyond the last one counts as the last.
     */
    static String write(List<Evidence> evidence, List<String> parts) {
        StringBuilder answer = new StringBuilder(NOTE).append('\n');
        int[] shown = new int[Math.max(1, parts.size())];
        EvidencePrompt prompt = new EvidencePrompt();
        for (Evidence e : evidence) {
            int part = Math.min(e.part(), shown.length - 1);
            if (shown[part] >= PASSAGES_PER_PART) {
                continue;
            }
            shown[part]++;
            String partText = parts.isEmpty() ? "" : parts.get(part);
            answer.append('[').append(e.number()).append("] ").append(prompt.label(e)).append("：")
                    .append(excerpt(e.text(), QueryCoverage.of(partText))).append('\n');
        }
        return answer.toString().stripTrailing();
    }

    /**
     * About {@value #EXCERPT_CHARS} characters of {@code text} on one line, from the start of the sentence where the
     * part's words first appear (the text's start when they do not), with "…" where it is cut.
     */
    static String excerpt(String text, QueryCoverage coverage) {
        String flat = text.replace('\n', ' ').strip();
        if (flat.length() <= EXCERPT_CHARS) {
            return flat;
        }
        int first = flat.length();
        String folded = ChineseTextNormalizer.fold(flat).toLowerCase(Locale.ROOT);
        for (String unit : coverage.terms()) {
            int at = folded.indexOf(unit);
            if (at >= 0 && at < first) {
                first = at;
            }
        }
        if (first == flat.length()) {
            first = 0;
        }
        int start = first;
        while (start > 0 && first - start < LEAD_CHARS && "。！？；\n".indexOf(flat.charAt(start - 1)) < 0) {
            start--;
        }
        int end = Math.min(flat.length(), start + EXCERPT_CHARS);
        return (start > 0 ? "…" : "") + flat.substring(start, end) + (end < flat.length() ? "…" : "");
    }
}
