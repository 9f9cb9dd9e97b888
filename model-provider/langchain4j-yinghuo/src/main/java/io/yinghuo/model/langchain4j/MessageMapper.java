package io.yinghuo.model.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;

import java.util.ArrayList;
import java.util.List;

/** Turns LangChain4j messages into the engine's chat messages (text only: no images, no tools). */
final class MessageMapper {

    private MessageMapper() {
    }

    /**
     * @throws UnsupportedFeatureException for non-text content, tool calls and tool results
     */
    static List<io.yinghuo.model.chat.ChatMessage> toEngine(List<ChatMessage> messages) {
        List<io.yinghuo.model.chat.ChatMessage> out = new ArrayList<>(messages.size());
        for (ChatMessage message : messages) {
            out.add(toEngine(message));
        }
        return out;
    }

    static io.yinghuo.model.chat.ChatMessage toEngine(ChatMessage message) {
        if (message instanceof SystemMessage system) {
            return io.yinghuo.model.chat.ChatMessage.system(system.text());
        }
        if (message instanceof UserMessage user) {
            return io.yinghuo.model.chat.ChatMessage.user(userText(user));
        }
        if (message instanceof AiMessage ai) {
            if (ai.hasToolExecutionRequests()) {
                throw new UnsupportedFeatureException("tool calls are not supported by Yinghuo models: an AI message"
                        + " in the conversation requests tool executions");
            }
            return io.yinghuo.model.chat.ChatMessage.assistant(ai.text() == null ? "" : ai.text());
        }
        throw new UnsupportedFeatureException("messages of type " + message.type() + " are not supported by Yinghuo"
                + " models (only SYSTEM, USER and AI text messages; tools are not supported)");
    }

    /** The text of a user message; several text parts are joined by newlines. */
    static String userText(UserMessage user) {
        if (user.hasSingleText()) {
            return user.singleText();
        }
        StringBuilder text = new StringBuilder();
        for (Content content : user.contents()) {
            if (!(content instanceof TextContent part)) {
                throw new UnsupportedFeatureException("content of type " + content.type() + " is not supported by"
                        + " Yinghuo models, which read text only");
            }
            if (text.length() > 0) {
                text.append('\n');
            }
            text.append(part.text());
        }
        return text.toString();
    }

    /** The text a message contributes, for token counting (tool messages count by their text as well). */
    static String countableText(ChatMessage message) {
        if (message instanceof SystemMessage system) {
            return system.text();
        }
        if (message instanceof UserMessage user) {
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
        if (message instanceof AiMessage ai) {
            return ai.text() == null ? "" : ai.text();
        }
        if (message instanceof dev.langchain4j.data.message.ToolExecutionResultMessage result) {
            return result.text() == null ? "" : result.text();
        }
        return message.toString();
    }
}
