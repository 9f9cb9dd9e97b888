package io.yinghuo.model.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import io.yinghuo.model.chat.ChatRole;
import io.yinghuo.model.chat.Conversation;
import io.yinghuo.model.chat.Exchange;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns LangChain4j messages into the engine's {@link Conversation} (text only: no images), leniently. Tool calls and
 * tool results are written as {@link ToolCallFormat} describes: an AI message's calls as the JSON the model writes,
 * a result as a user turn.
 * The chat templates need one system prompt, then user and assistant turns alternating, ending with the user; what
 * clients and LangChain4j's memories actually send is read into that shape instead of refused:
 * <ul>
 *   <li>System messages anywhere are merged, in order, into the one system prompt (blank line between them).</li>
 *   <li>Consecutive messages of the same role are merged into one turn (blank line between them). This is what
 *       keeps a conversation going after a cancelled stream: the memory then holds the user message without a
 *       reply, and the next user message joins it.</li>
 *   <li>A conversation that starts with the assistant (after any system messages), or has no user message at all,
 *       gets an empty user turn in front.</li>
 *   <li>An assistant message last is a prefill: the answer continues from that text (see {@link Mapped#prefill}).</li>
 * </ul>
 */
final class MessageMapper {

    /** Between merged messages: a paragraph break keeps them apart without inventing role words. */
    static final String MERGE_SEPARATOR = "\n\n";

    private MessageMapper() {
    }

    /**
     * A conversation ready for a template, and the start of the answer.
     *
     * @param conversation the turns; its system prompt is null when no message and no default gave one
     * @param prefill      text the answer starts with (a last assistant message), or null; the response holds only
     *                     what the model writes after it
     */
    record Mapped(Conversation conversation, String prefill) {
    }

    /**
     * @param defaultSystemPrompt used when no system message is present (null = the template's default)
     * @throws UnsupportedFeatureException for non-text content
     */
    static Mapped toConversation(List<ChatMessage> messages, String defaultSystemPrompt) {
        UnsupportedFeatures.checkMessages(messages);
        StringBuilder system = null;
        List<Turn> turns = new ArrayList<>();
        for (ChatMessage message : messages) {
            if (message instanceof SystemMessage s) {
                system = join(system, s.text());
                continue;
            }
            Turn turn = turn(message);
            Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
            if (last != null && last.role == turn.role) {
                join(last.text, turn.text.toString());
            } else {
                turns.add(turn);
            }
        }
        if (turns.isEmpty() || turns.get(0).role == ChatRole.ASSISTANT) {
            turns.add(0, new Turn(ChatRole.USER, ""));
        }
        String prefill = null;
        if (turns.get(turns.size() - 1).role == ChatRole.ASSISTANT) {
            String text = turns.remove(turns.size() - 1).text.toString();
            prefill = text.isEmpty() ? null : text;
        }
        List<Exchange> history = new ArrayList<>();
        for (int i = 0; i + 1 < turns.size(); i += 2) {
            history.add(new Exchange(turns.get(i).text.toString(), turns.get(i + 1).text.toString()));
        }
        String systemPrompt = system != null ? system.toString() : defaultSystemPrompt;
        return new Mapped(new Conversation(systemPrompt, history, turns.get(turns.size() - 1).text.toString()),
                prefill);
    }

    /** One user or assistant turn being assembled. */
    private static final class Turn {
        final ChatRole role;
        final StringBuilder text;

        Turn(ChatRole role, String text) {
            this.role = role;
            this.text = new StringBuilder(text);
        }
    }

    private static Turn turn(ChatMessage message) {
        if (message instanceof UserMessage user) {
            return new Turn(ChatRole.USER, userText(user));
        }
        if (message instanceof AiMessage ai) {
            if (ai.hasToolExecutionRequests()) {
                return new Turn(ChatRole.ASSISTANT, ToolCallFormat.renderCalls(ai));
            }
            return new Turn(ChatRole.ASSISTANT, ai.text() == null ? "" : ai.text());
        }
        if (message instanceof ToolExecutionResultMessage result) {
            return new Turn(ChatRole.USER, ToolCallFormat.renderResult(result));
        }
        throw new UnsupportedFeatureException("messages of type " + message.type() + " are not supported yet by this"
                + " model provider: only SYSTEM, USER, AI and TOOL_EXECUTION_RESULT messages can be read");
    }

    /** Appends {@code text} after a separator; empty parts add nothing (no stray blank lines). */
    private static StringBuilder join(StringBuilder into, String text) {
        if (into == null) {
            return new StringBuilder(text == null ? "" : text);
        }
        if (text != null && !text.isEmpty()) {
            if (into.length() > 0) {
                into.append(MERGE_SEPARATOR);
            }
            into.append(text);
        }
        return into;
    }

    /** The text of a user message; several text parts are joined by newlines. */
    static String userText(UserMessage user) {
        if (user.hasSingleText()) {
            return user.singleText();
        }
        StringBuilder text = new StringBuilder();
        for (Content content : user.contents()) {
            if (content instanceof TextContent part) {
                if (text.length() > 0) {
                    text.append('\n');
                }
                text.append(part.text());
            }
        }
        return text.toString();
    }

    /** The text a message contributes, for token counting (tool messages count by their text as well). */
    static String countableText(ChatMessage message) {
        if (message instanceof SystemMessage system) {
            return system.text();
        }
        if (message instanceof UserMessage user) {
            return userText(user);
        }
        if (message instanceof AiMessage ai) {
            return ai.hasToolExecutionRequests() ? ToolCallFormat.renderCalls(ai) : ai.text() == null ? "" : ai.text();
        }
        if (message instanceof ToolExecutionResultMessage result) {
            return ToolCallFormat.renderResult(result);
        }
        return message.toString();
    }
}
