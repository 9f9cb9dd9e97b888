package io.yinghuo.retrieval.rag;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.injector.ContentInjector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A LangChain4j {@link ContentInjector} that packs numbered evidence into the user message within a token budget
 * counted by the model's own tokenizer (a {@link TokenCountEstimator}, e.g. the provider's
 * {@code YinghuoTokenCountEstimator}):
 * <pre>
 *   system prompt + history + (evidence + rules + question)  &lt;=  context - answer room - safety margin
 * </pre>
 * so that the prompt and the answer never overflow the model's context (4K for LLaMA-2, 16K with RoPE scaling).
 *
 * <p>Passages are taken in the aggregator's order (its per-part turns) as long as they fit — one that does not fit
 * is skipped and smaller ones after it may still go in; duplicates (same document and chunk) are kept once; the
 * chosen ones are then presented grouped by question part, best first, and numbered [1], [2]… with their file and
 * page. History may take at most half of the budget, and gives way entirely when not even one passage would fit:
 * older exchanges are left out first. The total is counted
 * again on the finished messages, and passages are taken back until it fits, so the estimate never relies on the
 * pieces adding up. The margin covers the few tokens SentencePiece may merge differently where the chat template
 * joins messages.
 */
public final class CitingContentInjector implements ContentInjector {

    private final TokenCountEstimator estimator;
    private final int contextTokens;
    private final int answerTokens;
    private final int safetyTokens;
    private final EvidencePrompt prompt;

    private CitingContentInjector(Builder builder) {
        this.estimator = Objects.requireNonNull(builder.estimator, "tokenCountEstimator");
        this.contextTokens = builder.contextTokens;
        this.answerTokens = builder.answerTokens;
        this.safetyTokens = builder.safetyTokens;
        this.prompt = builder.prompt;
        if (budget() < 1) {
            throw new IllegalArgumentException("a context of " + contextTokens + " tokens with " + answerTokens
                    + " kept for the answer and a margin of " + safetyTokens + " leaves no room for a prompt");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public int contextTokens() {
        return contextTokens;
    }

    public int answerTokens() {
        return answerTokens;
    }

    public TokenCountEstimator estimator() {
        return estimator;
    }

    public EvidencePrompt prompt() {
        return prompt;
    }

    /** The most the prompt may take: context minus answer room minus margin. */
    public int budget() {
        return contextTokens - answerTokens - safetyTokens;
    }

    /** LangChain4j's contract: packs for the message alone (no system prompt or history known here). */
    @Override
    public ChatMessage inject(List<Content> contents, ChatMessage chatMessage) {
        if (!(chatMessage instanceof UserMessage user)) {
            return chatMessage;
        }
        return pack(contents, user, null, List.of(), List.of()).message();
    }

    /**
     * Packs the evidence for a question.
     *
     * @param candidates passages in priority order (as {@link PartQuotaContentAggregator} returns them)
     * @param question   the user's message as asked
     * @param system     the system message that will be sent, or null for the model's default
     * @param history    earlier messages that will be sent before the question, oldest first
     * @param parts      the parts of the question (listed in the message when more than one)
     * @throws IllegalArgumentException when the system prompt and the question alone do not fit the budget
     */
    public PackedContext pack(List<Content> candidates, UserMessage question, SystemMessage system,
                              List<ChatMessage> history, List<String> parts) {
        String questionText = question.singleText();
        int budget = budget();
        List<ChatMessage> kept = new ArrayList<>(history);
        int dropped = 0;
        int base = count(system, kept, prompt.message("", questionText, parts));
        // History may not push the evidence out: it gets at most half of the budget, older exchanges go first.
        while (!kept.isEmpty() && (base > budget || base - countWithoutHistory(system, questionText, parts)
                > budget / 2)) {
            int n = firstExchangeLength(kept);
            kept.subList(0, n).clear();
            dropped += n;
            base = count(system, kept, prompt.message("", questionText, parts));
        }
        if (base > budget) {
            throw new IllegalArgumentException("the question does not fit: it takes " + base + " tokens with the"
                    + " instructions, but a context of " + contextTokens + " tokens with " + answerTokens
                    + " kept for the answer leaves room for " + budget);
        }

        List<Evidence> chosen = choose(candidates, budget - base);
        // Evidence matters more than old turns: when not even one passage fits, older exchanges make room.
        while (chosen.isEmpty() && !candidates.isEmpty() && !kept.isEmpty()) {
            int n = firstExchangeLength(kept);
            kept.subList(0, n).clear();
            dropped += n;
            base = count(system, kept, prompt.message("", questionText, parts));
            chosen = choose(candidates, budget - base);
        }
        int leftOut = (int) candidates.stream().map(Evidence::key).distinct().count() - chosen.size();
        // Present grouped by part, keeping the priority order inside each part, then number.
        List<Evidence> ordered = new ArrayList<>(chosen);
        ordered.sort(Comparator.comparingInt(Evidence::part));
        while (true) {
            List<Evidence> numbered = number(ordered);
            UserMessage message = UserMessage.from(prompt.message(blocks(numbered), questionText, parts));
            int total = count(system, kept, message.singleText());
            if (total <= budget || numbered.isEmpty()) {
                return new PackedContext(message, kept, numbered, total, budget, leftOut, dropped);
            }
            // The pieces did not add up (merges across block boundaries): take back the lowest-priority passage.
            Evidence last = chosen.remove(chosen.size() - 1);
            ordered.remove(last);
            leftOut++;
        }
    }

    /** Passages in priority order while they fit {@code room}; one that does not fit is skipped. */
    private List<Evidence> choose(List<Content> candidates, int room) {
        List<Evidence> chosen = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        int placeholder = Math.max(1, candidates.size());
        for (Content content : candidates) {
            if (!seen.add(Evidence.key(content))) {
                continue;
            }
            Evidence evidence = new Evidence(placeholder, partOf(content), content);
            int cost = estimator.estimateTokenCountInText(prompt.block(placeholder, evidence));
            if (cost <= room) {
                chosen.add(evidence);
                room -= cost;
            }
        }
        return chosen;
    }

    private static List<Evidence> number(List<Evidence> ordered) {
        List<Evidence> numbered = new ArrayList<>(ordered.size());
        for (int i = 0; i < ordered.size(); i++) {
            Evidence e = ordered.get(i);
            TextSegment segment = e.content().textSegment();
            Content content = Content.from(TextSegment.from(segment.text(),
                    segment.metadata().copy().put(Evidence.NUMBER, i + 1)), e.content().metadata());
            numbered.add(new Evidence(i + 1, e.part(), content));
        }
        return numbered;
    }

    private String blocks(List<Evidence> numbered) {
        StringBuilder text = new StringBuilder();
        for (Evidence e : numbered) {
            text.append(prompt.block(e.number(), e));
        }
        return text.toString();
    }

    private static int partOf(Content content) {
        Integer part = content.textSegment().metadata().getInteger(Evidence.PART);
        return part == null ? 0 : part;
    }

    private int count(SystemMessage system, List<ChatMessage> history, String message) {
        List<ChatMessage> messages = new ArrayList<>(history.size() + 2);
        if (system != null) {
            messages.add(system);
        }
        messages.addAll(history);
        messages.add(UserMessage.from(message));
        return estimator.estimateTokenCountInMessages(messages);
    }

    private int countWithoutHistory(SystemMessage system, String question, List<String> parts) {
        return count(system, List.of(), prompt.message("", question, parts));
    }

    /** Messages up to and including the first answer: one exchange (a user turn may come without an answer). */
    private static int firstExchangeLength(List<ChatMessage> history) {
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i) instanceof dev.langchain4j.data.message.AiMessage) {
                return i + 1;
            }
        }
        return history.size();
    }

    public static final class Builder {
        private TokenCountEstimator estimator;
        private int contextTokens = 4096;
        private int answerTokens = 512;
        private int safetyTokens = 16;
        private EvidencePrompt prompt = new EvidencePrompt();

        private Builder() {
        }

        /** Counts tokens as the model will: the provider's estimator over its tokenizer and chat template. */
        public Builder tokenCountEstimator(TokenCountEstimator value) {
            this.estimator = value;
            return this;
        }

        /** The model's context in tokens, prompt and answer together (default 4096). */
        public Builder contextTokens(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("contextTokens must be at least 1, got " + value);
            }
            this.contextTokens = value;
            return this;
        }

        /** Tokens kept free for the answer (default 512); at least the request's maxOutputTokens. */
        public Builder answerTokens(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("answerTokens must be >= 0, got " + value);
            }
            this.answerTokens = value;
            return this;
        }

        /** Tokens kept free besides the answer, for template joins the estimator cannot see (default 16). */
        public Builder safetyTokens(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("safetyTokens must be >= 0, got " + value);
            }
            this.safetyTokens = value;
            return this;
        }

        public Builder prompt(EvidencePrompt value) {
            this.prompt = Objects.requireNonNull(value);
            return this;
        }

        public CitingContentInjector build() {
            return new CitingContentInjector(this);
        }
    }
}
