package io.yinghuo.retrieval.rag;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites a follow-up question into a standalone one, from the questions asked before it, so that retrieval
 * searches for what the user means: after "北京大学是哪一年创办的？", "它的校长是谁？" becomes "北京大学的校长是谁？" and
 * "那清华大学呢？" becomes "清华大学是哪一年创办的？".
 *
 * <p>Rules, tried in order (rule-based on purpose: a 7B model on a CPU would add seconds to every turn, and LangChain4j's
 * {@code CompressingQueryTransformer} asks the chat model exactly for this):
 * <ol>
 *   <li><b>Swap</b>: "那X呢？" / "X呢？" / "那X怎么样？" (X without a pronoun) — the earlier question with its topic
 *       replaced by X.</li>
 *   <li><b>Pronoun</b>: 它/他/她/它们/他们/她们 are replaced by the earlier topic, 其 by "topic的".</li>
 *   <li><b>Determiner</b>: 该…/这个…/那个…/此…/上述… — the question is prefixed with the topic ("北京大学，该校…").</li>
 * </ol>
 * A question without any of these is already standalone and is returned unchanged. The topic of the earlier
 * question (itself first made standalone) is its first 《title》 or quoted name, else its leading noun phrase (the
 * text before the first 的/是/在/有/… or question word, after a polite lead-in such as 请问); when there is no topic,
 * the earlier question is put in front as context.
 */
public final class FollowUpRewriter {

    /** Pronouns replaced by the topic; longest first so that 它们 wins over 它. */
    private static final String[] PRONOUNS = {"它们", "他们", "她们", "它們", "他們", "她們", "它", "他", "她"};

    /** Words that start with a pronoun character but are not anaphora. */
    private static final String[] NOT_PRONOUN = {"其中", "其他", "其它", "其实", "其實", "其余", "其餘", "其次", "尤其",
        "极其", "極其", "他人", "其后", "其後", "他乡", "他鄉", "吉他", "其间", "其間", "与其", "與其", "此外", "因此",
        "如此", "此时", "此時", "从此", "從此", "彼此", "此后", "此後", "该死"};

    private static final String[] DETERMINERS = {"这个", "那个", "這個", "那個", "这些", "那些", "這些", "这家", "那家",
        "這家", "这位", "那位", "這位", "这座", "這座", "这部", "這部", "这本", "這本", "这所", "這所", "这条", "這條",
        "这种", "這種", "这项", "這項", "上述", "该", "該", "此"};

    /** Where the leading noun phrase (the topic) of a question ends. */
    private static final String[] TOPIC_ENDS = {"的", "是", "在", "有", "位于", "位於", "于", "於", "为", "為", "被", "把",
        "对", "對", "曾", "由", "从", "從", "和", "与", "與", "跟", "哪", "什么", "什麼", "甚麼", "谁", "誰", "何", "几",
        "幾", "多少", "如何", "怎么", "怎麼", "为什么", "為什麼", "吗", "嗎", "呢", "发明", "發明", "创办", "創辦", "成立",
        "出生", "建于", "建於", "属于", "屬於", "举行", "舉行", "获得", "獲得", "共有", "一共", "总共", "總共"};

    private static final Pattern SWAP = Pattern.compile(
            "^(?:那么|那麼|那|还有|還有|再问|再問)?[，,]?\\s*(.{1,24}?)\\s*(?:呢|又如何|怎么样|怎麼樣|如何|又是怎样|又是怎樣)"
                    + "[？?。.!！]*$");

    private static final int MAX_TOPIC_CHARS = 24;

    /**
     * @param question         the user's new question
     * @param earlierQuestions the user's earlier questions in this conversation, oldest first
     * @return the question made standalone, or the question itself when it does not refer back
     */
    public String rewrite(String question, List<String> earlierQuestions) {
        String q = question.strip();
        if (earlierQuestions.isEmpty() || q.isEmpty()) {
            return q;
        }
        String previous = standalone(earlierQuestions, earlierQuestions.size() - 1);
        return resolve(q, previous);
    }

    /** The i-th earlier question made standalone with the ones before it. */
    private String standalone(List<String> questions, int i) {
        String q = questions.get(i).strip();
        // Follow the chain back a few turns at most: each step only looks one question back.
        return i == 0 || i < questions.size() - 4 ? q : resolve(q, standalone(questions, i - 1));
    }

    /** {@code question} made standalone with {@code previous} (already standalone) as what it may refer to. */
    String resolve(String question, String previous) {
        String topic = topicOf(previous);
        Matcher swap = SWAP.matcher(question);
        if (swap.matches() && !topic.isEmpty() && previous.contains(topic)) {
            String replacement = QuestionText.stripLeadIn(swap.group(1).strip());
            if (!replacement.isEmpty() && firstPronoun(replacement) < 0 && firstDeterminer(replacement) < 0
                    && !replacement.equals(topic)) {
                return previous.replaceFirst(Pattern.quote(topic), Matcher.quoteReplacement(replacement));
            }
        }
        int pronoun = firstPronoun(question);
        if (pronoun >= 0) {
            if (topic.isEmpty()) {
                return withContext(question, previous);
            }
            String word = pronounAt(question, pronoun);
            String replacement = word.equals("其") ? topic + "的" : topic;
            return question.substring(0, pronoun) + replacement + question.substring(pronoun + word.length());
        }
        if (firstDeterminer(question) >= 0) {
            return topic.isEmpty() ? withContext(question, previous) : topic + "，" + question;
        }
        return question;
    }

    private static String withContext(String question, String previous) {
        return QuestionText.stripEndPunctuation(previous) + "；" + question;
    }

    /** The topic of a standalone question: a quoted name, else its leading noun phrase; "" when none is found. */
    static String topicOf(String question) {
        String quoted = quoted(question);
        if (!quoted.isEmpty()) {
            return quoted;
        }
        String q = QuestionText.stripLeadIn(question);
        int end = q.length();
        for (String marker : TOPIC_ENDS) {
            int at = q.indexOf(marker);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        for (int i = 0; i < end; i++) {
            char c = q.charAt(i);
            if (!Character.isLetterOrDigit(c) && c != '·' && c != '-' && c != ' ') {
                end = i;
                break;
            }
        }
        String topic = q.substring(0, end).strip();
        if (topic.codePointCount(0, topic.length()) < 2 || topic.length() > MAX_TOPIC_CHARS
                || firstPronoun(topic) >= 0 || firstDeterminer(topic) >= 0) {
            return "";
        }
        return topic;
    }

    /** The first 《…》, “…” or "…" name, with its brackets for 《》 (they are part of how titles are written). */
    private static String quoted(String text) {
        int open = text.indexOf('《');
        if (open >= 0) {
            int close = text.indexOf('》', open + 1);
            if (close > open + 1) {
                return text.substring(open, close + 1);
            }
        }
        for (String[] pair : new String[][] {{"“", "”"}, {"「", "」"}, {"\"", "\""}}) {
            int start = text.indexOf(pair[0]);
            if (start >= 0) {
                int end = text.indexOf(pair[1], start + 1);
                if (end > start + 1 && end - start - 1 <= MAX_TOPIC_CHARS) {
                    return text.substring(start + 1, end);
                }
            }
        }
        return "";
    }

    static int firstPronoun(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (pronounAt(text, i) != null) {
                return i;
            }
        }
        return -1;
    }

    private static String pronounAt(String text, int i) {
        if (insideNotPronoun(text, i)) {
            return null;
        }
        for (String pronoun : PRONOUNS) {
            if (text.startsWith(pronoun, i)) {
                return pronoun;
            }
        }
        return text.charAt(i) == '其' ? "其" : null;
    }

    static int firstDeterminer(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (insideNotPronoun(text, i)) {
                continue;
            }
            for (String determiner : DETERMINERS) {
                if (text.startsWith(determiner, i)) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static boolean insideNotPronoun(String text, int i) {
        for (String word : NOT_PRONOUN) {
            for (int k = 0; k < word.length(); k++) {
                int start = i - k;
                if (start >= 0 && text.startsWith(word, start)) {
                    return true;
                }
            }
        }
        return false;
    }
}
