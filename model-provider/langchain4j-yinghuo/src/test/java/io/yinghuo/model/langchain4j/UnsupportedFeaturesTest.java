package io.yinghuo.model.langchain4j;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ToolChoice;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Refusals worded as LangChain4j's ChatRequestValidationUtils words them, in the order its suites expect. */
class UnsupportedFeaturesTest {

    private static final ToolSpecification TOOL = ToolSpecification.builder().name("weather").build();

    @Test
    void shouldAcceptToolsToolChoicesAndJsonResponseFormats() {
        for (ChatRequestParameters p : List.of(
                ChatRequestParameters.builder().toolSpecifications(TOOL).toolChoice(ToolChoice.REQUIRED).build(),
                ChatRequestParameters.builder().toolSpecifications(TOOL).build(),
                ChatRequestParameters.builder().toolChoice(ToolChoice.NONE).build(),
                ChatRequestParameters.builder().responseFormat(ResponseFormat.JSON).build())) {
            assertDoesNotThrow(() -> UnsupportedFeatures.check(p, "m"), p::toString);
        }
    }

    @Test
    void shouldNameTheModelNameParameter() {
        String message = refusal(ChatRequestParameters.builder().modelName("dummy").build());
        assertTrue(message.contains("'modelName' parameter \"dummy\" is not supported"), message);
        assertDoesNotThrow(() -> UnsupportedFeatures.check(ChatRequestParameters.builder().modelName("m").build(),
                "m"), "its own name is fine");
    }

    @Test
    void shouldNamePenalties() {
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
