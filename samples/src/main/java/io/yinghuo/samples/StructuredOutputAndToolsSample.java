package io.yinghuo.samples;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.UserMessage;
import io.yinghuo.model.langchain4j.YinghuoChatModel;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Structured output and tool calling with a local model, through LangChain4j AI services:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp yinghuo-samples.jar io.yinghuo.samples.StructuredOutputAndToolsSample [MODEL_DIR [DEVICE]]
 * </pre>
 *
 * <ul>
 *   <li>{@link Extractor} returns a Java record: LangChain4j sends the record's JSON schema, and the model's answer is
 *       generated under a grammar compiled from it, so it always parses into the record (unless the token limit cuts
 *       it).</li>
 *   <li>{@link Assistant} may call {@link WeatherTools#weather}: the call is generated under a grammar too, so it
 *       always names the tool and passes a valid city; the AI service runs the method and gives the result back to
 *       the model, which then answers.</li>
 * </ul>
 *
 * Without a model folder it synthesizes a tiny random-weight model: the records and calls are well-formed, their
 * content is random (a trained model, e.g. Chinese-Alpaca-2-7B-GPTQ, fills them sensibly).
 */
public final class StructuredOutputAndToolsSample {

    enum Sentiment { 正面, 负面, 中性 }

    /** What the extractor fills in; each field is one JSON property of the schema. */
    record Review(Sentiment sentiment, int stars, List<String> dishes) {
    }

    interface Extractor {
        @UserMessage("从这条点评中提取情感、星级（1-5）和提到的菜：{{it}}")
        Review extract(String review);
    }

    enum City { 北京, 上海, 广州, 深圳 }

    static final class WeatherTools {
        final List<String> calls = new java.util.ArrayList<>();

        @Tool("查询城市今天的天气")
        String weather(@P("城市") City city) {
            calls.add("weather(" + city + ")");
            return city + "：晴，18 到 26 度";
        }
    }

    interface Assistant {
        String chat(String message);
    }

    static final String REVIEW = "昨晚在这家店吃了北京烤鸭和炸酱面，烤鸭皮脆肉嫩，就是等位太久，给四星吧。";
    static final String QUESTION = "上海今天天气怎么样？";

    private StructuredOutputAndToolsSample() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        boolean synthesized = args.length == 0;
        Path folder = synthesized ? StreamingChatSample.synthesizeTinyModel() : Path.of(args[0]);
        if (synthesized) {
            out.println("No model folder given: using a tiny model with random weights. The record and the tool call"
                    + " are well-formed; their content is random.");
        }
        try (YinghuoChatModel model = YinghuoChatModel.builder()
                .modelPath(folder)
                .device(args.length > 1 ? args[1] : "auto")
                .contextLength(synthesized ? 2048 : 4096)
                .maxOutputTokens(synthesized ? 600 : 400) // random weights write long strings and many spaces
                .temperature(synthesized ? 1.0 : 0.2)
                .seed(7L)
                .build()) {
            Extractor extractor = AiServices.create(Extractor.class, model);
            out.println("点评: " + REVIEW);
            try {
                out.println("提取: " + extractor.extract(REVIEW));
            } catch (dev.langchain4j.service.output.OutputParsingException e) {
                // Valid JSON for the schema, but the schema cannot say "a Java int": random weights write 16-digit
                // numbers. A trained model writes 4.
                out.println("提取: (valid JSON that does not fit the record: " + (e.getCause() == null
                        ? e.getMessage() : e.getCause().getMessage().lines().findFirst().orElse("")) + ")");
            }

            WeatherTools tools = new WeatherTools();
            Assistant assistant = AiServices.builder(Assistant.class).chatModel(model).tools(tools)
                    .maxSequentialToolsInvocations(3).build();
            out.println("问: " + QUESTION);
            try {
                out.println("答: " + assistant.chat(QUESTION));
            } catch (RuntimeException e) {
                out.println("(the model kept calling tools: " + e.getMessage() + ")");
            }
            out.println("工具调用: " + tools.calls);
        }
    }
}
