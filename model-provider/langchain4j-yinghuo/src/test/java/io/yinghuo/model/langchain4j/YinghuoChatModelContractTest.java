package io.yinghuo.model.langchain4j;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.common.AbstractChatModelIT;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

/**
 * LangChain4j's {@link AbstractChatModelIT}: the contract every {@link ChatModel} provider passes. Hooks come from
 * {@link ProviderCapabilities}; tests that need a trained model's answer are listed in {@link #TRAINED_MODEL_ONLY}.
 */
class YinghuoChatModelContractTest extends AbstractChatModelIT {

    /** Shared with {@link YinghuoStreamingChatModelContractTest}: the same assertions in the common base suite. */
    static final java.util.Map<String, String> ANSWER_CONTENT = java.util.Map.ofEntries(
            java.util.Map.entry("should_respect_user_message",
                    "asserts that the answer names Berlin and ends by itself (STOP)"),
            java.util.Map.entry("should_respect_system_message",
                    "asserts that the answer translates into German (\"liebe\")"),
            java.util.Map.entry("should_respect_multiple_messages",
                    "asserts that the answer recalls \"green\" from the conversation"),
            java.util.Map.entry("should_respect_stopSequences_in_chat_request",
                    "asserts that the answer says \"Hello\" and is stopped before \"World\" (STOP)"),
            java.util.Map.entry("should_respect_stopSequences_in_default_model_parameters",
                    "asserts that the answer says \"Hello\" and is stopped before \"World\" (STOP)"),
            // Tools and JSON: the grammar guarantees the form (ToolCallFormatTest, StructuredOutputTest,
            // ToolCallingAiServicesTest check it on random weights); these assert what a trained model writes in it.
            java.util.Map.entry("should_respect_JSON_response_format",
                    "asserts the JSON answer {\"city\": \"Berlin\"}"),
            java.util.Map.entry("should_respect_JSON_response_format_with_schema",
                    "asserts the JSON answer {\"city\": \"Berlin\"}"),
            java.util.Map.entry("should_respect_JsonRawSchema_responseFormat",
                    "asserts the JSON answer {\"city\": \"Berlin\"}"),
            java.util.Map.entry("should_execute_a_tool_then_answer",
                    "asserts the call getWeather({\"city\": \"Munich\"}) within the default answer length, then"
                            + " an answer about the weather"),
            java.util.Map.entry("should_execute_a_tool_without_arguments_then_answer",
                    "asserts that the model chooses to call get_current_time, then answers with the time"),
            java.util.Map.entry("should_execute_multiple_tools_in_parallel_then_answer",
                    "asserts that the model chooses two calls (weather in Munich, time in France) in one answer"),
            java.util.Map.entry("should_force_LLM_to_execute_any_tool",
                    "asserts the call getWeather({\"city\": \"Munich\"}) within the default answer length"),
            java.util.Map.entry("should_force_LLM_to_execute_specific_tool",
                    "asserts the call getWeather({\"city\": \"Munich\"}) within the default answer length"),
            java.util.Map.entry("should_execute_a_tool_then_answer_respecting_JSON_response_format_with_schema",
                    "asserts the call getWeather({\"city\": \"Munich\"}), then the JSON answer about Munich's"
                            + " weather"));

    @RegisterExtension
    static final TrainedModelOnly TRAINED_MODEL_ONLY = new TrainedModelOnly(ANSWER_CONTENT);

    @TempDir
    static Path dir;
    ContractModels models;

    @BeforeAll
    void load() {
        models = new ContractModels(dir);
    }

    @AfterAll
    void close() {
        models.close();
    }

    @Override
    protected List<ChatModel> models() {
        return List.of(models.chat(YinghuoChatRequestParameters.EMPTY));
    }

    @Override
    protected ChatModel createModelWith(ChatRequestParameters parameters) {
        return models.chat(parameters);
    }

    @Override
    protected ChatRequestParameters createIntegrationSpecificParameters(int maxOutputTokens) {
        return YinghuoChatRequestParameters.builder().maxOutputTokens(maxOutputTokens).build();
    }

    @Override
    protected Class<? extends ChatResponseMetadata> chatResponseMetadataType(ChatModel model) {
        return YinghuoChatResponseMetadata.class;
    }

    @Override
    protected boolean supportsDefaultRequestParameters() {
        return ProviderCapabilities.DEFAULT_REQUEST_PARAMETERS;
    }

    @Override
    protected boolean supportsModelNameParameter() {
        return ProviderCapabilities.MODEL_NAME_PARAMETER;
    }

    @Override
    protected boolean supportsMaxOutputTokensParameter() {
        return ProviderCapabilities.MAX_OUTPUT_TOKENS_PARAMETER;
    }

    @Override
    protected boolean supportsStopSequencesParameter() {
        return ProviderCapabilities.STOP_SEQUENCES_PARAMETER;
    }

    @Override
    protected boolean supportsTools() {
        return ProviderCapabilities.TOOLS;
    }

    @Override
    protected boolean supportsToolChoiceRequired() {
        return ProviderCapabilities.TOOL_CHOICE_REQUIRED;
    }

    @Override
    protected boolean supportsJsonResponseFormat() {
        return ProviderCapabilities.JSON_RESPONSE_FORMAT;
    }

    @Override
    protected boolean supportsJsonResponseFormatWithSchema() {
        return ProviderCapabilities.JSON_RESPONSE_FORMAT_WITH_SCHEMA;
    }

    @Override
    protected boolean supportsJsonResponseFormatWithRawSchema() {
        return ProviderCapabilities.JSON_RESPONSE_FORMAT_WITH_SCHEMA;
    }

    @Override
    protected boolean supportsSingleImageInputAsBase64EncodedString() {
        return ProviderCapabilities.IMAGE_INPUTS;
    }

    @Override
    protected boolean supportsSingleImageInputAsPublicURL() {
        return ProviderCapabilities.IMAGE_INPUTS;
    }
}
