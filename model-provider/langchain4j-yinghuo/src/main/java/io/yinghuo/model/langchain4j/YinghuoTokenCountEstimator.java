package io.yinghuo.model.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.model.TokenCountEstimator;
import io.yinghuo.model.chat.ChatTemplate;
import io.yinghuo.model.chat.ChatTemplates;
import io.yinghuo.model.chat.Conversation;
import io.yinghuo.model.chat.Exchange;
import io.yinghuo.model.runtime.LlamaModel;
import io.yinghuo.model.tokenizer.SentencePieceTokenizer;
import io.yinghuo.model.tokenizer.Tokenizer;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Counts tokens with the model's own SentencePiece tokenizer, so LangChain4j's splitters
 * ({@code DocumentSplitters.recursive(maxTokens, overlap, estimator)}) and memories ({@code TokenWindowChatMemory})
 * measure what the model will read.
 *
 * <ul>
 *   <li>Text: exactly the number of ids SentencePiece gives it (no BOS).</li>
 *   <li>A message: its text plus the chat template's framing for its role (e.g. {@code [INST] ... [/INST]} and the
 *       BOS/EOS between turns for {@code alpaca2}, the EOS after each utterance for {@code firefly}).</li>
 *   <li>Messages: the sum over the messages plus the prompt's fixed part (BOS, the system block; when no system
 *       message is present, what the template puts there instead: its default system prompt for {@code alpaca2},
 *       nothing for {@code llama2-chat}).</li>
 * </ul>
 * The counts are additive on purpose: {@code TokenWindowChatMemory} subtracts the count of each message it evicts
 * from the total. For a well-formed conversation the total equals the length of the template's prompt ids up to
 * the few tokens SentencePiece may merge across a message boundary. The framing is measured once from the template
 * itself, so it follows the template exactly instead of a hand-kept table. The {@code raw} template uses only the
 * last user message; its estimate still counts every message given (what a memory or splitter asks about).
 */
public final class YinghuoTokenCountEstimator implements TokenCountEstimator {

    private static final String PROBE = "x";

    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final int userFraming;
    private final int assistantFraming;
    private final int fixedFraming;
    private final int fixedFramingWithoutSystem;

    /** Counts for prompts built with {@code template}, its own default system prompt standing in for a missing one. */
    public YinghuoTokenCountEstimator(Tokenizer tokenizer, ChatTemplate template) {
        this(tokenizer, template, null);
    }

    /**
     * @param systemPrompt the system prompt a chat model puts in when a request has none (null = the template's
     *                     default), as set with the builder's {@code systemPrompt}
     */
    public YinghuoTokenCountEstimator(Tokenizer tokenizer, ChatTemplate template, String systemPrompt) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.template = Objects.requireNonNull(template, "template");
        int probe = tokenizer.encode(PROBE).length;
        int single = template.encode(new Conversation("", List.of(), PROBE), tokenizer).length;
        int twoTurns = template.encode(new Conversation("", List.of(new Exchange(PROBE, PROBE)), PROBE),
                tokenizer).length;
        // What one more exchange costs beyond its text: the EOS that closes the answer goes to the assistant, the
        // rest (role words, BOS of the next turn, EOS after a Firefly question) to the user.
        int exchangeFraming = Math.max(0, twoTurns - single - 2 * probe);
        this.assistantFraming = Math.min(1, exchangeFraming);
        this.userFraming = exchangeFraming - assistantFraming;
        this.fixedFraming = Math.max(0, single - probe - userFraming);
        // Without a system message the template may leave the system block out (llama2-chat) or fill in its
        // default prompt (alpaca2): measured, not assumed.
        int withoutSystem = template.encode(new Conversation(systemPrompt, List.of(), PROBE), tokenizer).length;
        this.fixedFramingWithoutSystem = Math.max(0, withoutSystem - probe - userFraming);
    }

    /** An estimator for a model folder that loads only its tokenizer.model (no weights); the template is detected. */
    public static YinghuoTokenCountEstimator forModelFolder(Path modelFolder) {
        return new YinghuoTokenCountEstimator(
                SentencePieceTokenizer.load(modelFolder.resolve(LlamaModel.TOKENIZER_FILE)),
                ChatTemplates.detect(modelFolder));
    }

    public ChatTemplate template() {
        return template;
    }

    @Override
    public int estimateTokenCountInText(String text) {
        return text == null || text.isEmpty() ? 0 : tokenizer.encode(text).length;
    }

    @Override
    public int estimateTokenCountInMessage(ChatMessage message) {
        int text = estimateTokenCountInText(MessageMapper.countableText(message));
        if (message instanceof SystemMessage) {
            return text;
        }
        return text + (message instanceof AiMessage ? assistantFraming : userFraming);
    }

    @Override
    public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
        int total = 0;
        boolean system = false;
        for (ChatMessage message : messages) {
            system |= message instanceof SystemMessage;
            total += estimateTokenCountInMessage(message);
        }
        return total + (system ? fixedFraming : fixedFramingWithoutSystem);
    }
}
