package io.yinghuo.retrieval.rag;

import java.util.List;

/**
 * The wording of the question-with-evidence message. The default is Chinese, for Chinese-Alpaca-2 style models:
 * the numbered passages first (each labelled with its file and page), then the rules (answer only from them, cite
 * by number, say {@value #NOT_FOUND} when they do not hold the answer), then the question and, for a compound
 * question, its parts to answer one by one. Everything that does not depend on the question comes before it, so
 * questions over the same passages share the prompt's token prefix and the model reuses its cached keys and values
 * (the model worker's prefix reuse) instead of running the passages again.
 */
public class EvidencePrompt {

    /** What the answer says when the documents do not hold it. */
    public static final String NOT_FOUND = "未找到相关内容";

    /** The message: evidence blocks already numbered and joined, the question, its parts (more than one or none). */
    public String message(String evidence, String question, List<String> parts) {
        StringBuilder m = new StringBuilder(evidence.length() + question.length() + 256);
        m.append("请根据下面编号的资料回答问题。\n\n资料：\n");
        m.append(evidence.isEmpty() ? "（无）\n" : evidence);
        m.append("\n要求：只使用上面资料中的信息回答；在用到的内容后面用方括号标注资料编号，例如[1]；");
        m.append("如果资料中没有答案，就回答“").append(NOT_FOUND).append("”，不要编造。\n\n");
        m.append("问题：").append(question.strip());
        if (parts.size() > 1) {
            // after the question, so that everything above it is the same for every question over these passages
            m.append("\n（这个问题包含以下部分，请逐一回答：");
            for (int i = 0; i < parts.size(); i++) {
                m.append(i == 0 ? "" : "；").append(i + 1).append(". ").append(parts.get(i));
            }
            m.append("）");
        }
        return m.toString();
    }

    /** One numbered passage: "[n] 来源：《file》（title）第p页" then its text. */
    public String block(int number, Evidence evidence) {
        StringBuilder b = new StringBuilder(evidence.text().length() + 48);
        b.append('[').append(number).append("] 来源：").append(label(evidence)).append('\n');
        b.append(evidence.text().strip()).append("\n\n");
        return b.toString();
    }

    /** "《file》（title）第p页": the file name, the title when it says more than the file name, the page. */
    public String label(Evidence evidence) {
        StringBuilder label = new StringBuilder();
        String file = evidence.fileName();
        String title = evidence.title();
        if (!file.isEmpty()) {
            label.append('《').append(file).append('》');
        }
        if (!title.isEmpty() && !file.startsWith(title)) {
            label.append('（').append(title).append('）');
        }
        if (evidence.page() > 0) {
            label.append('第').append(evidence.page()).append('页');
        }
        return label.length() == 0 ? "未注明" : label.toString();
    }
}
