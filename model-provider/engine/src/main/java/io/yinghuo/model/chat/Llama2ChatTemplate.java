package io.yinghuo.model.chat;

import io.yinghuo.model.tokenizer.Tokenizer;

import java.util.List;
import java.util.Objects;

/**
 * Meta's Llama-2-chat format, as {@code chat_completion} in meta-llama/llama llama/generation.py builds it:
 * a system prompt is merged into the first user message as
 * {@code <<SYS>>\n{sys}\n<</SYS>>\n\n{user}}; every completed exchange is encoded on its own as
 * {@code BOS + sp("[INST] {user.strip()} [/INST] {answer.strip()} ") + EOS} (note the space before EOS), the
 * question as {@code BOS + sp("[INST] {user.strip()} [/INST]")}. {@code strip()} is Python's, applied after the
 * system merge (so the user's leading whitespace survives behind the system block, as in the reference).
 *
 * <p>Meta's code encodes with plain SentencePiece, so {@code <s>}/{@code </s>} in a message are text there too;
 * and it refuses dialogs whose messages (system included) contain {@code [INST]}, {@code [/INST]},
 * {@code <<SYS>>} or {@code <</SYS>>}. This template refuses them the same way, with an
 * IllegalArgumentException naming the tag and the message. There is no default system prompt (Meta has none;
 * a null system prompt means no {@code <<SYS>>} block).
 */
public final class Llama2ChatTemplate implements ChatTemplate {

    /** The role tags Meta's {@code chat_completion} rejects inside messages ({@code SPECIAL_TAGS}). */
    public static final List<String> RESERVED_TAGS = List.of("[INST]", "[/INST]", "<<SYS>>", "<</SYS>>");

    static final Llama2ChatTemplate INSTANCE = new Llama2ChatTemplate();

    private Llama2ChatTemplate() {
    }

    @Override
    public String name() {
        return "llama2-chat";
    }

    @Override
    public String description() {
        return "Llama-2-chat: <s>[INST] <<SYS>>...<</SYS>> ... [/INST] answer </s> per exchange"
                + " (meta-llama/llama chat_completion)";
    }

    @Override
    public String defaultSystemPrompt() {
        return null;
    }

    @Override
    public int[] encode(Conversation conversation, Tokenizer tokenizer) {
        Objects.requireNonNull(tokenizer, "tokenizer");
        checkNoReservedTags(conversation);
        PromptIds ids = new PromptIds(tokenizer);
        List<Exchange> history = conversation.history();
        for (int i = 0; i < history.size(); i++) {
            ids.bos().text(completedTurn(userContent(conversation, i), history.get(i).assistant())).eos();
        }
        return ids.bos().text(openTurn(userContent(conversation, history.size()))).toArray();
    }

    @Override
    public String render(Conversation conversation) {
        StringBuilder text = new StringBuilder();
        List<Exchange> history = conversation.history();
        for (int i = 0; i < history.size(); i++) {
            text.append("<s>").append(completedTurn(userContent(conversation, i), history.get(i).assistant()))
                    .append("</s>");
        }
        return text.append("<s>").append(openTurn(userContent(conversation, history.size()))).toString();
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

    /** The user message of turn {@code index} (the question when index == history size), system merged into 0. */
    private static String userContent(Conversation conversation, int index) {
        List<Exchange> history = conversation.history();
        String user = index < history.size() ? history.get(index).user() : conversation.userMessage();
        if (index == 0 && conversation.systemPrompt() != null) {
            return "<<SYS>>\n" + conversation.systemPrompt() + "\n<</SYS>>\n\n" + user;
        }
        return user;
    }

    private static String completedTurn(String user, String answer) {
        return "[INST] " + PythonText.strip(user) + " [/INST] " + PythonText.strip(answer) + " ";
    }

    private static String openTurn(String user) {
        return "[INST] " + PythonText.strip(user) + " [/INST]";
    }

    private static void checkNoReservedTags(Conversation conversation) {
        List<ChatMessage> messages = conversation.messages();
        for (int i = 0; i < messages.size(); i++) {
            for (String tag : RESERVED_TAGS) {
                if (messages.get(i).content().contains(tag)) {
                    throw new IllegalArgumentException("the llama2-chat template refuses message " + i + " ("
                            + messages.get(i).role() + "): it contains the role tag " + tag
                            + ", which Meta's chat_completion rejects as unsafe");
                }
            }
        }
    }
}
