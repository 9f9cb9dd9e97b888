package io.yinghuo.model.chat;

import io.yinghuo.model.tokenizer.Tokenizer;

import java.util.List;
import java.util.Objects;

/**
 * Chinese-Alpaca-2's prompt (ymcui/Chinese-LLaMA-Alpaca-2 scripts/openai_server_demo/openai_api_server.py
 * {@code generate_chat_prompt}, scripts/inference/gradio_demo.py): the reference builds the string
 * <pre>
 * [INST] &lt;&lt;SYS&gt;&gt;\n{sys}\n&lt;&lt;/SYS&gt;&gt;\n\n{u1} [/INST] {a1}&lt;/s&gt;&lt;s&gt;[INST] {u2} [/INST] {a2}&lt;/s&gt;&lt;s&gt;[INST] {u3} [/INST]
 * </pre>
 * and encodes it with the Hugging Face slow tokenizer, which turns the literal {@code <s>}/{@code </s>} into ids
 * 1/2, spm-encodes each text chunk between them alone and puts BOS in front. Messages are used as given (the
 * reference strips nothing).
 *
 * <p>Here the ids are built piecewise (see {@code PromptIds}): BOS/EOS exactly where the template writes
 * {@code <s>}/{@code </s>}, each text chunk (template words together with the message text) through plain
 * SentencePiece. For messages without the strings {@code <s>}, {@code </s>}, {@code <unk>}, {@code <pad>} this is
 * id for id the reference encoding. A message that does contain them differs on purpose: the reference would let
 * a user end the turn and forge new ones (a literal {@code </s><s>[INST]}); here they stay text. The role words
 * {@code [INST]}, {@code [/INST]}, {@code <<SYS>>} in a message are kept as text, as the reference does: they are
 * ordinary pieces that the template itself uses, so a user can imitate them, but cannot produce the EOS/BOS ids
 * that separate the turns of this format.
 */
public final class Alpaca2Template implements ChatTemplate {

    /** prompts/alpaca-2.txt of Chinese-LLaMA-Alpaca-2 (no trailing newline). */
    public static final String DEFAULT_SYSTEM_PROMPT = "You are a helpful assistant. 你是一个乐于助人的助手。";

    /** prompts/alpaca-2-long.txt: asks for longer, detailed answers. */
    public static final String LONG_RESPONSE_SYSTEM_PROMPT =
            "You are a helpful assistant. 你是一个乐于助人的助手。请你提供专业、有逻辑、内容真实、有价值的详细回复。";

    static final Alpaca2Template INSTANCE = new Alpaca2Template();

    private Alpaca2Template() {
    }

    @Override
    public String name() {
        return "alpaca2";
    }

    @Override
    public String description() {
        return "Chinese-Alpaca-2: [INST] <<SYS>>...<</SYS>> ... [/INST] with its bilingual default system prompt"
                + " (ymcui/Chinese-LLaMA-Alpaca-2)";
    }

    @Override
    public String defaultSystemPrompt() {
        return DEFAULT_SYSTEM_PROMPT;
    }

    @Override
    public int[] encode(Conversation conversation, Tokenizer tokenizer) {
        Objects.requireNonNull(tokenizer, "tokenizer");
        PromptIds ids = new PromptIds(tokenizer).bos();
        List<Exchange> history = conversation.history();
        String chunk = firstTurn(systemPrompt(conversation), firstUser(conversation));
        for (int i = 0; i < history.size(); i++) {
            // "{chunk} {answer}</s><s>[INST] {next user} [/INST]": the answer closes the current text chunk.
            ids.text(chunk + " " + history.get(i).assistant()).eos().bos();
            chunk = laterTurn(i + 1 < history.size() ? history.get(i + 1).user() : conversation.userMessage());
        }
        return ids.text(chunk).toArray();
    }

    @Override
    public String render(Conversation conversation) {
        StringBuilder text = new StringBuilder("<s>");
        List<Exchange> history = conversation.history();
        text.append(firstTurn(systemPrompt(conversation), firstUser(conversation)));
        for (int i = 0; i < history.size(); i++) {
            text.append(' ').append(history.get(i).assistant()).append("</s><s>");
            text.append(laterTurn(i + 1 < history.size() ? history.get(i + 1).user() : conversation.userMessage()));
        }
        return text.toString();
    }

    /** {@code [INST]}: the next user turn's marker, in case the model writes it instead of EOS. */
    @Override
    public List<String> stopStrings() {
        return List.of("[INST]");
    }

    @Override
    public String toString() {
        return name();
    }

    private String systemPrompt(Conversation conversation) {
        return conversation.systemPrompt() == null ? DEFAULT_SYSTEM_PROMPT : conversation.systemPrompt();
    }

    private static String firstUser(Conversation conversation) {
        return conversation.history().isEmpty() ? conversation.userMessage() : conversation.history().get(0).user();
    }

    private static String firstTurn(String system, String user) {
        return "[INST] <<SYS>>\n" + system + "\n<</SYS>>\n\n" + user + " [/INST]";
    }

    private static String laterTurn(String user) {
        return "[INST] " + user + " [/INST]";
    }
}
