package io.yinghuo.retrieval.rag;

/** Small facts about Chinese question text shared by the splitter and the follow-up rewriter. */
final class QuestionText {

    /** Words that make a clause a question (or a request) rather than a statement. */
    private static final String[] QUESTION_WORDS = {"什么", "甚麼", "什麼", "谁", "誰", "哪", "几", "幾", "多少", "多大",
        "多长", "多長", "多久", "多高", "多远", "多遠", "吗", "嗎", "呢", "如何", "怎么", "怎樣", "怎样", "怎麼", "为什么",
        "為什麼", "为何", "為何", "是否", "有没有", "有沒有", "何时", "何時", "何地", "何人", "何处", "何處", "何种", "何種",
        "请", "請", "介绍", "介紹", "说明", "說明", "列出", "比较", "比較", "解释", "解釋", "总结", "總結", "概括"};

    /** Connectives that start the next part of a compound question. */
    static final String[] CONNECTIVES = {"另外", "此外", "还有", "還有", "以及", "并且", "並且", "同时", "同時", "而且",
        "然后", "然後", "那么", "那麼", "再者", "另"};

    /** Polite lead-ins that are not part of the topic. */
    private static final String[] LEAD_INS = {"请问一下", "請問一下", "请问", "請問", "请告诉我", "請告訴我", "我想知道",
        "你知道", "想问一下", "想問一下", "请介绍一下", "請介紹一下", "介绍一下", "介紹一下", "请说明", "請說明"};

    private QuestionText() {
    }

    static boolean isQuestionLike(String text) {
        if (text.indexOf('？') >= 0 || text.indexOf('?') >= 0) {
            return true;
        }
        for (String word : QUESTION_WORDS) {
            if (text.contains(word)) {
                return true;
            }
        }
        return false;
    }

    static int letters(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (Character.isLetterOrDigit(s.charAt(i))) {
                n++;
            }
        }
        return n;
    }

    static boolean isClauseComma(char c) {
        return c == '，' || c == ',' || c == '、';
    }

    /** The text without a leading connective ("另外，") and the commas after it. */
    static String stripLeadingConnective(String text) {
        String s = text.strip();
        for (String connective : CONNECTIVES) {
            if (s.startsWith(connective) && s.length() > connective.length()) {
                String rest = s.substring(connective.length());
                // "另" alone only as "另，..." or "另外"; never strip the start of a word such as "另一个"
                if (connective.length() == 1 && !isClauseComma(rest.charAt(0))) {
                    continue;
                }
                return stripLeadingCommas(rest);
            }
        }
        return s;
    }

    static String stripLeadingCommas(String text) {
        String s = text.strip();
        while (!s.isEmpty() && isClauseComma(s.charAt(0))) {
            s = s.substring(1).strip();
        }
        return s;
    }

    /** The text without a polite lead-in ("请问，"). */
    static String stripLeadIn(String text) {
        String s = text.strip();
        for (String lead : LEAD_INS) {
            if (s.startsWith(lead)) {
                return stripLeadingCommas(s.substring(lead.length()));
            }
        }
        return s;
    }

    /** The text without trailing question/full-stop punctuation and whitespace. */
    static String stripEndPunctuation(String text) {
        int end = text.length();
        while (end > 0) {
            char c = text.charAt(end - 1);
            if (Character.isWhitespace(c) || c == '？' || c == '?' || c == '。' || c == '！' || c == '!' || c == '.'
                    || c == '；' || c == ';' || c == '，' || c == ',') {
                end--;
            } else {
                break;
            }
        }
        return text.substring(0, end).strip();
    }
}
