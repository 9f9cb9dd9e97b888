package io.yinghuo.retrieval.rag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a compound question into parts that are each searched on their own, so that every part gets its own
 * evidence: searched as one query, a compound question over several documents returns passages for the part with
 * the rarer terms only, and the answer to the other part is missing from the context.
 *
 * <p>Steps, each applied to the output of the one before:
 * <ol>
 *   <li><b>Sentences</b>: after ？?！!。；; and line breaks. A sentence that is not a question (no question mark or
 *       question word: "我在看北京大学的资料。它是哪年创办的？") is kept as context in front of the next one.</li>
 *   <li><b>Clauses</b>: at "，另外/此外/还有/以及/并且/同时/而且…", and at 以及/并且/同时 without a comma when both sides
 *       are questions ("北京大学是哪年创办的以及清华大学的校长是谁"). A leading connective is dropped.</li>
 *   <li><b>分别</b>: "《红楼梦》和《西游记》的作者分别是谁" distributes over its list: "《红楼梦》的作者是谁",
 *       "《西游记》的作者是谁" (items joined by 和/与/及/以及/跟/、).</li>
 *   <li><b>Back references</b>: a later part that says 它/其/该… refers to the part before it and is made
 *       standalone with {@link FollowUpRewriter} ("…，并且它的校长是谁").</li>
 *   <li><b>Named documents</b>: a part that names documents of the catalogue (《title》, “name”, a file name with
 *       its extension, or a bare title or file name of at least {@value #MIN_BARE_NAME_CHARS} characters) is tied
 *       to them; a part naming several documents becomes one part per document.</li>
 * </ol>
 * A part must keep at least {@value #MIN_PART_LETTERS} letters or digits; otherwise it stays with its neighbour. A
 * question that yields one part is returned as one part (with any named documents).
 */
public final class QuestionSplitter {

    static final int MIN_PART_LETTERS = 4;
    static final int MIN_BARE_NAME_CHARS = 4;
    private static final int MAX_LIST_ITEM_CHARS = 30;
    /** More parts than this are unlikely to be meant and would starve each part of context: the rest are merged. */
    static final int MAX_PARTS = 6;

    private static final Pattern CLAUSE_WITH_COMMA = Pattern.compile(
            "[，,]\\s*(?:另外|此外|还有|還有|以及|并且|並且|同时|同時|而且|再者|然后|然後)");
    private static final Pattern CLAUSE_BARE = Pattern.compile("以及|并且|並且|同时|同時");
    private static final Pattern LIST_SEPARATOR = Pattern.compile("以及|和|与|與|及|跟|、");

    private final FollowUpRewriter rewriter = new FollowUpRewriter();

    /** The parts of a question when no documents are known by name. */
    public List<QuestionPart> split(String question) {
        return split(question, List.of());
    }

    /**
     * @param question  the question, already standalone
     * @param catalogue the documents the question may name
     */
    public List<QuestionPart> split(String question, List<NamedDocument> catalogue) {
        List<String> texts = new ArrayList<>();
        for (String sentence : sentences(question)) {
            for (String clause : clauses(sentence)) {
                texts.addAll(distribute(clause));
            }
        }
        texts = resolveBackReferences(texts);
        if (texts.size() > MAX_PARTS) {
            List<String> kept = new ArrayList<>(texts.subList(0, MAX_PARTS - 1));
            kept.add(String.join("；", texts.subList(MAX_PARTS - 1, texts.size())));
            texts = kept;
        }
        if (texts.isEmpty()) {
            texts = List.of(question.strip());
        }
        List<QuestionPart> parts = new ArrayList<>();
        for (String text : texts) {
            Map<String, String> named = namedDocuments(text, catalogue);
            if (named.size() <= 1) {
                parts.add(new QuestionPart(text, named.keySet()));
            } else {
                // "比较《甲》和《乙》的结论": one part per document, each searched inside its document.
                for (Map.Entry<String, String> doc : named.entrySet()) {
                    parts.add(new QuestionPart(text, Set.of(doc.getKey())));
                }
            }
        }
        return List.copyOf(parts);
    }

    /** Step 1: sentences, statements kept in front of the question after them. */
    static List<String> sentences(String question) {
        List<String> raw = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < question.length(); i++) {
            char c = question.charAt(i);
            if (c == '？' || c == '?' || c == '！' || c == '!' || c == '。' || c == '；' || c == ';' || c == '\n') {
                raw.add(question.substring(start, i + 1));
                start = i + 1;
            }
        }
        raw.add(question.substring(start));
        List<String> out = new ArrayList<>();
        StringBuilder context = new StringBuilder();
        for (String piece : raw) {
            String s = QuestionText.stripLeadingConnective(piece.strip());
            if (QuestionText.letters(s) == 0) {
                continue;
            }
            if (!QuestionText.isQuestionLike(s) || QuestionText.letters(s) < MIN_PART_LETTERS) {
                context.append(s);
                continue;
            }
            out.add(context + s);
            context.setLength(0);
        }
        if (context.length() > 0) {
            if (out.isEmpty()) {
                out.add(context.toString());
            } else {
                int last = out.size() - 1;
                out.set(last, out.get(last) + context);
            }
        }
        return out;
    }

    /** Step 2: clauses joined by a connective. */
    static List<String> clauses(String sentence) {
        List<String> out = new ArrayList<>();
        String rest = sentence;
        while (true) {
            int[] cut = clauseCut(rest);
            if (cut == null) {
                break;
            }
            out.add(rest.substring(0, cut[0]).strip());
            rest = QuestionText.stripLeadingCommas(rest.substring(cut[1]));
        }
        out.add(rest.strip());
        return out;
    }

    /** [end of the left clause, start of the right clause], or null when the sentence has no clause boundary. */
    private static int[] clauseCut(String s) {
        Matcher comma = CLAUSE_WITH_COMMA.matcher(s);
        while (comma.find()) {
            String left = s.substring(0, comma.start());
            String right = s.substring(comma.end());
            if (QuestionText.letters(left) >= MIN_PART_LETTERS && QuestionText.letters(right) >= MIN_PART_LETTERS) {
                return new int[] {comma.start(), comma.end()};
            }
        }
        Matcher bare = CLAUSE_BARE.matcher(s);
        while (bare.find()) {
            String left = s.substring(0, bare.start());
            String right = s.substring(bare.end());
            if (QuestionText.letters(left) >= MIN_PART_LETTERS && QuestionText.letters(right) >= MIN_PART_LETTERS
                    && QuestionText.isQuestionLike(left) && QuestionText.isQuestionLike(right)) {
                return new int[] {bare.start(), bare.end()};
            }
        }
        return null;
    }

    /**
     * Step 3: "A和B的X分别是什么" → "A的X是什么", "B的X是什么". The list is the text before 分别 up to its first 的
     * (or all of it), its items split at 和/与/及/以及/跟/、; a polite lead-in ("请问") stays in front of the first item
     * only, so it is dropped.
     */
    static List<String> distribute(String clause) {
        int at = clause.indexOf("分别");
        if (at < 0) {
            at = clause.indexOf("分別");
        }
        if (at <= 0) {
            return List.of(clause);
        }
        String before = QuestionText.stripLeadIn(clause.substring(0, at));
        String after = clause.substring(at + 2);
        int de = before.indexOf('的');
        String list = de > 0 ? before.substring(0, de) : before;
        String tail = de > 0 ? before.substring(de) : "";
        List<String> items = new ArrayList<>();
        Matcher sep = LIST_SEPARATOR.matcher(list);
        int start = 0;
        while (sep.find()) {
            items.add(list.substring(start, sep.start()).strip());
            start = sep.end();
        }
        items.add(list.substring(start).strip());
        if (items.size() < 2) {
            return List.of(clause);
        }
        List<String> out = new ArrayList<>();
        for (String item : items) {
            if (item.isEmpty() || item.length() > MAX_LIST_ITEM_CHARS) {
                return List.of(clause);
            }
            out.add(item + tail + after);
        }
        return out;
    }

    /** Step 4: later parts that refer back (它/其/该…) made standalone with the part before them. */
    private List<String> resolveBackReferences(List<String> texts) {
        List<String> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (i > 0 && (FollowUpRewriter.firstPronoun(text) >= 0 || FollowUpRewriter.firstDeterminer(text) >= 0)) {
                text = rewriter.resolve(text, out.get(i - 1));
            }
            out.add(text);
        }
        return out;
    }

    /** Step 5: the catalogue documents a part names, by id, in the order of their first mention. */
    static Map<String, String> namedDocuments(String text, List<NamedDocument> catalogue) {
        record Mention(int at, String docId, String name) {
        }
        List<Mention> mentions = new ArrayList<>();
        for (NamedDocument document : catalogue) {
            int first = -1;
            String firstName = null;
            for (String name : document.names()) {
                int at = mention(text, name);
                if (at >= 0 && (first < 0 || at < first)) {
                    first = at;
                    firstName = name;
                }
            }
            if (first >= 0) {
                mentions.add(new Mention(first, document.docId(), firstName));
            }
        }
        mentions.sort((a, b) -> a.at() != b.at() ? Integer.compare(a.at(), b.at())
                : Integer.compare(b.name().length(), a.name().length()));
        Map<String, String> named = new LinkedHashMap<>();
        Set<Integer> starts = new LinkedHashSet<>();
        for (Mention m : mentions) {
            // Two documents found at one place (a title inside a longer title): the longer name wins.
            if (starts.add(m.at())) {
                named.put(m.docId(), m.name());
            }
        }
        return named;
    }

    /** Where {@code name} is mentioned in a way that identifies a document, or -1. */
    private static int mention(String text, String name) {
        if (name.length() < 2) {
            return -1;
        }
        for (String[] quotes : new String[][] {{"《", "》"}, {"“", "”"}, {"「", "」"}, {"\"", "\""}}) {
            int at = text.indexOf(quotes[0] + name + quotes[1]);
            if (at >= 0) {
                return at;
            }
        }
        boolean bareAllowed = NamedDocument.hasExtension(name) || name.codePointCount(0, name.length())
                >= MIN_BARE_NAME_CHARS;
        return bareAllowed ? text.indexOf(name) : -1;
    }
}
