package io.yinghuo.model.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.service.AiServices;
import io.yinghuo.model.constrain.JsonGrammar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JSON answers through constrained decoding, on random weights: the form is guaranteed, the content is not. */
class StructuredOutputTest {

    @TempDir
    static Path dir;
    static YinghuoChatModel model;

    @BeforeAll
    static void load() {
        model = YinghuoChatModel.builder().modelPath(TinyChatModel.write(dir)).device("cpu").threads(1)
                .contextLength(2048).maxOutputTokens(400).temperature(1.0).log(line -> { }).build();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    enum Sentiment { POSITIVE, NEGATIVE, NEUTRAL }

    record Rating(Sentiment sentiment, int stars, boolean recommended, List<Sentiment> aspects) {
    }

    interface Reviewer {
        Rating rate(String review);
    }

    @Test
    void declaresTheJsonSchemaCapabilitySoAiServicesSendTheSchema() {
        assertTrue(model.supportedCapabilities().contains(Capability.RESPONSE_FORMAT_JSON_SCHEMA));
    }

    /** An AI service returning a record: LangChain4j sends its schema, the grammar makes the answer parse into it. */
    @Test
    void anAiServiceReturnsARecordParsedFromTheConstrainedAnswer() {
        Reviewer reviewer = AiServices.create(Reviewer.class, model);
        int parsed = 0;
        for (int i = 0; i < 4; i++) {
            try {
                Rating rating = reviewer.rate("这家餐厅的菜很好吃，服务也热情。");
                assertNotNull(rating); // fields may be absent: LangChain4j's schema marks none of them required
                parsed++;
            } catch (RuntimeException e) {
                // only an answer cut by the token limit may fail to parse
                assertTrue(String.valueOf(e.getMessage()).toLowerCase().contains("parse")
                        || String.valueOf(e.getMessage()).contains("JSON"), e.toString());
            }
        }
        assertTrue(parsed > 0, "answers parse into the record");
    }

    /** Every answer that ends by itself (STOP) is valid against the schema; a cut one says LENGTH. */
    @Test
    void everyStoppedAnswerIsValidAgainstTheSchema() throws Exception {
        String schema = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\",\"enum\":[\"北京\",\"上海\"]},"
                + "\"population\":{\"type\":\"integer\"},\"districts\":{\"type\":\"array\",\"maxItems\":3,"
                + "\"items\":{\"type\":\"boolean\"}}},\"required\":[\"city\",\"population\"],"
                + "\"additionalProperties\":false}";
        JsonGrammar grammar = JsonGrammar.forSchema(JsonSchemas.MAPPER.readTree(schema));
        int stopped = 0;
        for (long seed = 1; seed <= 8; seed++) {
            ChatResponse response = model.chat(ChatRequest.builder().messages(UserMessage.from("介绍一座城市"))
                    .parameters(YinghuoChatRequestParameters.builder().seed(seed).responseFormat(ResponseFormat
                            .builder().type(ResponseFormatType.JSON).jsonSchema(JsonSchema.builder().name("City")
                                    .rootElement(JsonRawSchema.from(schema)).build()).build()).build()).build());
            String text = response.aiMessage().text();
            if (response.finishReason() == FinishReason.STOP) {
                stopped++;
                assertTrue(grammar.matches(text), text);
                YinghuoChatResponseMetadata metadata = (YinghuoChatResponseMetadata) response.metadata();
                assertEquals(metadata.outputTokenIds().length + 1, response.tokenUsage().outputTokenCount(),
                        "a completed JSON answer ends with EOS, which counts as an output token");
                assertNull(metadata.stopSequence());
                JsonNode city = JsonSchemas.MAPPER.readTree(text);
                assertTrue(List.of("北京", "上海").contains(city.get("city").asText()), text);
            } else {
                assertEquals(FinishReason.LENGTH, response.finishReason());
                assertEquals(((YinghuoChatResponseMetadata) response.metadata()).outputTokenIds().length,
                        response.tokenUsage().outputTokenCount(), "cut by the limit: no EOS");
                assertTrue(grammar.matchesPrefix(text), text);
            }
        }
        assertTrue(stopped > 0);
        ChatResponse object = model.chat(ChatRequest.builder().messages(UserMessage.from("随便说点什么"))
                .responseFormat(ResponseFormat.JSON).build());
        if (object.finishReason() == FinishReason.STOP) {
            assertTrue(JsonSchemas.MAPPER.readTree(object.aiMessage().text()).isObject());
        }
    }

    @Test
    void aKeywordOutsideTheSubsetIsRefusedByName() {
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class, () -> model.chat(
                ChatRequest.builder().messages(UserMessage.from("x")).responseFormat(ResponseFormat.builder()
                        .type(ResponseFormatType.JSON).jsonSchema(JsonSchema.builder().name("S").rootElement(
                                JsonRawSchema.from("{\"type\":\"string\",\"pattern\":\"^a+$\"}")).build()).build())
                        .build()));
        assertTrue(e.getMessage().contains("pattern"), e.getMessage());
    }
}
