package io.yinghuo.model.langchain4j;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequestParameters;

import java.util.List;
import java.util.Locale;

import static dev.langchain4j.data.message.ContentType.TEXT;

/**
 * Refuses what the Yinghuo models cannot do, with {@link UnsupportedFeatureException} worded as LangChain4j's own
 * {@code ChatRequestValidationUtils} words it ("X is not supported yet by this model provider"), so that code written
 * against any provider recognises the refusal, followed by the reason and what to do instead.
 *
 * <p>Not {@code ChatRequestValidationUtils} itself: it is {@code @Internal} (free to change between LangChain4j
 * releases), refuses {@code ToolChoice.NONE} and any {@code modelName}, which this provider accepts, and has no room
 * for the hint. Tools and JSON response formats are supported (constrained decoding: {@link OutputFormat}).
 */
final class UnsupportedFeatures {

    private static final String NOT_SUPPORTED = " is not supported yet by this model provider";

    private UnsupportedFeatures() {
    }

    /** Checks merged request parameters; {@code modelName} is the only name this chat model answers to. */
    static void check(ChatRequestParameters p, String modelName) {
        if (p.frequencyPenalty() != null) {
            throw refused("'frequencyPenalty' parameter", penaltyHint());
        }
        if (p.presencePenalty() != null) {
            throw refused("'presencePenalty' parameter", penaltyHint());
        }
        if (p.modelName() != null && !p.modelName().equals(modelName)) {
            throw refused("'modelName' parameter \"" + p.modelName() + "\"", "this chat model serves \"" + modelName
                    + "\" and cannot switch models per request; build another chat model for that folder");
        }
    }

    /** Checks message content: text only (images, audio, video, PDF are refused by their type's name). */
    static void checkMessages(List<ChatMessage> messages) {
        for (ChatMessage message : messages) {
            if (message instanceof UserMessage user) {
                for (Content content : user.contents()) {
                    if (content.type() != TEXT) {
                        throw refused("Content of type " + content.type().toString().toLowerCase(Locale.ROOT),
                                "Yinghuo models read text only");
                    }
                }
            }
        }
    }

    private static String penaltyHint() {
        return "Yinghuo implements the multiplicative repetition penalty of the reference scripts, not OpenAI's"
                + " additive one; set YinghuoChatRequestParameters.repetitionPenalty (1 = off) instead";
    }

    private static UnsupportedFeatureException refused(String feature, String reason) {
        return new UnsupportedFeatureException(feature + NOT_SUPPORTED + ": " + reason);
    }
}
