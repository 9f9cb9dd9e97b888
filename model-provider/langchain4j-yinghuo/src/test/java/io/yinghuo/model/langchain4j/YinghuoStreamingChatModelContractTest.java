package io.yinghuo.model.langchain4j;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.common.AbstractStreamingChatModelIT;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * LangChain4j's {@link AbstractStreamingChatModelIT}: the contract every {@link StreamingChatModel} provider passes.
 * Hooks come from {@link ProviderCapabilities}; tests that need a trained model's answer are listed in
 * {@link #TRAINED_MODEL_ONLY}. What the three user-exception tests check besides "Berlin" is covered on random
 * weights by {@link YinghuoStreamingChatModelTest}.
 */
class YinghuoStreamingChatModelContractTest extends AbstractStreamingChatModelIT {

    @RegisterExtension
    static final TrainedModelOnly TRAINED_MODEL_ONLY = new TrainedModelOnly(answerContent());

    private static Map<String, String> answerContent() {
        Map<String, String> reasons = new HashMap<>(YinghuoChatModelContractTest.ANSWER_CONTENT);
        reasons.put("should_propagate_user_exceptions_thrown_from_onPartialResponse",
                "asserts that the answer names Berlin");
        reasons.put("should_propagate_user_exceptions_thrown_from_onCompleteResponse",
                "asserts that the answer names Berlin");
        reasons.put("should_ignore_user_exceptions_thrown_from_onError", "asserts that the answer names Berlin");
        return reasons;
    }

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
    protected List<StreamingChatModel> models() {
        return List.of(models.streaming(YinghuoChatRequestParameters.EMPTY));
    }

    @Override
    protected StreamingChatModel createModelWith(ChatRequestParameters parameters) {
        return models.streaming(parameters);
    }

    @Override
    public StreamingChatModel createModelWith(ChatModelListener listener) {
        return models.streaming(YinghuoChatRequestParameters.EMPTY, listener);
    }

    @Override
    protected boolean supportsStreamingCancellation() {
        return ProviderCapabilities.STREAMING_CANCELLATION;
    }

    @Override
    protected ChatRequestParameters createIntegrationSpecificParameters(int maxOutputTokens) {
        return YinghuoChatRequestParameters.builder().maxOutputTokens(maxOutputTokens).build();
    }

    @Override
    protected Class<? extends ChatResponseMetadata> chatResponseMetadataType(StreamingChatModel model) {
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
