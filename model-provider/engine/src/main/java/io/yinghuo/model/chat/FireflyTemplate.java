package io.yinghuo.model.chat;

import io.yinghuo.model.tokenizer.Tokenizer;

import java.util.List;
import java.util.Objects;

/**
 * Firefly-LLaMA2-Chat's token-level format (yangjianxin1/Firefly-LLaMA2-Chinese
 * script/chat/multi_chat.py, yangjianxin1/Firefly component/dataset.py): no role words, the turns are separated by
 * EOS ids only:
 * <pre>
 * [BOS] + enc(u1) + [EOS] + enc(a1) + [EOS] + enc(u2) + [EOS] + ... + enc(question) + [EOS]
 * </pre>
 * Each utterance is encoded alone with plain SentencePiece (so each starts with the dummy "▁"); user messages are
 * stripped (Python's {@code strip()}), answers are used as given. The reference feeds user text through the HF slow
 * tokenizer, where a typed {@code </s>} would become EOS; here it stays text, so a user cannot end a turn.
 *
 * <p>Firefly was trained without a system prompt. A system prompt given anyway is not dropped silently (callers set
 * it to steer the model, e.g. with retrieved context) but put in front of the first user utterance of the prompt,
 * as {@code system + "\n\n" + user} (both stripped): the only place where this format lets the model read it, and
 * the same merge Llama-2-chat does. Since it joins the first utterance still in the prompt, it survives when old
 * exchanges are dropped to fit the context. An empty or blank system prompt adds nothing; there is no default.
 */
public final class FireflyTemplate implements ChatTemplate {

    static final FireflyTemplate INSTANCE = new FireflyTemplate();

    private FireflyTemplate() {
    }

    @Override
    public String name() {
        return "firefly";
    }

    @Override
    public String description() {
        return "Firefly-LLaMA2-Chat: <s>user</s>answer</s>...user</s> at the token level, no role words"
                + " (yangjianxin1/Firefly-LLaMA2-Chinese)";
    }

    @Override
    public String defaultSystemPrompt() {
        return null;
    }

    @Override
    public int[] encode(Conversation conversation, Tokenizer tokenizer) {
        Objects.requireNonNull(tokenizer, "tokenizer");
        PromptIds ids = new PromptIds(tokenizer).bos();
        List<Exchange> history = conversation.history();
        for (int i = 0; i < history.size(); i++) {
            ids.text(userUtterance(conversation, i)).eos().text(history.get(i).assistant()).eos();
        }
        return ids.text(userUtterance(conversation, history.size())).eos().toArray();
    }

    @Override
    public String render(Conversation conversation) {
        StringBuilder text = new StringBuilder("<s>");
        List<Exchange> history = conversation.history();
        for (int i = 0; i < history.size(); i++) {
            text.append(userUtterance(conversation, i)).append("</s>")
                    .append(history.get(i).assistant()).append("</s>");
        }
        return text.append(userUtterance(conversation, history.size())).append("</s>").toString();
    }

    /** None: the format has no textual turn marker, answers end with EOS. */
    @Override
    public List<String> stopStrings() {
        return List.of();
    }

    @Override
    public String toString() {
        return name();
    }

    private static String userUtterance(Conversation conversation, int index) {
        List<Exchange> history = conversation.history();
        String user = PythonText.strip(index < history.size() ? history.get(index).user() : conversation.userMessage());
        if (index == 0 && conversation.systemPrompt() != null) {
            String system = PythonText.strip(conversation.systemPrompt());
            if (!system.isEmpty()) {
                return system + "\n\n" + user;
            }
        }
        return user;
    }
}
