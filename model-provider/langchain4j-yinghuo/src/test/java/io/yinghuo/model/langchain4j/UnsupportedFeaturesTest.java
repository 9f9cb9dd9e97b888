package io.yinghuo.model.langchain4j;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ToolChoice;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Refusals worded as LangChain4j's ChatRequestValidationUtils words them, in the order its suites expect. */
class UnsupportedFeaturesTest {

    private static final ToolSpecification TOOL = ToolSpecification.builder().name("weather").build();

    @Test
    void shouldNameToolChoiceRequiredBeforeTheToolsItRequires() {
        String message = refusal(ChatRequestParameters.builder().toolSpecifications(TOOL)
                .toolChoice(ToolChoice.REQUIRED).build());
        assertTrue(message.startsWith("ToolChoice.REQUIRED is not supported yet by this model provider"), message);
        String tools = refusal(ChatRequestParameters.builder().toolSpecifications(TOOL).build());
        assertTrue(tools.startsWith("tools are not supported yet by this model provider"), tools);
        assertDoesNotThrow(() -> UnsupportedFeatures.check(ChatRequestParameters.builder()
                .toolChoice(ToolChoice.NONE).build(), "m"), "NONE without tools asks for nothing unsupported");
    }

    @Test
    void shouldNameTheModelNameParameter() {
        String message = refusal(ChatRequestParameters.builder().modelName("dummy").build());
        assertTrue(message.contains("'modelName' parameter \"dummy\" is not supported"), message);
        assertDoesNotThrow(() -> UnsupportedFeatures.check(ChatRequestParameters.builder().modelName("m").build(),
                "m"), "its own name is fine");
    }

    @Test
    void shouldNameJsonResponseFormatAndPenalties() {
        assertTrue(refusal(ChatRequestParameters.builder().responseFormat(ResponseFormat.JSON).build())
                .startsWith("JSON response format is not supported yet by this model provider"));
        assertTrue(refusal(ChatRequestParameters.builder().frequencyPenalty(0.5).build())
                .contains("repetitionPenalty"));
        assertTrue(refusal(ChatRequestParameters.builder().presencePenalty(0.5).build())
                .startsWith("'presencePenalty' parameter is not supported yet"));
    }

    private static String refusal(ChatRequestParameters parameters) {
        return assertThrows(UnsupportedFeatureException.class, () -> UnsupportedFeatures.check(parameters, "m"))
                .getMessage();
    }
}
