package io.yinghuo.samples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StructuredOutputAndToolsSampleTest {

    @Test
    void extractsARecordAndAsksWithATool() throws Exception {
        String out = SampleOutput.of(StructuredOutputAndToolsSample::main);
        assertTrue(out.contains("No model folder given: using a tiny model with random weights."), out);
        assertTrue(out.contains("点评: " + StructuredOutputAndToolsSample.REVIEW), out);
        assertTrue(out.contains("提取: Review[sentiment=") || out.contains("提取: (valid JSON that does not fit"),
                "the answer is the record, or JSON whose number is too large for an int: " + out);
        assertTrue(out.contains("问: " + StructuredOutputAndToolsSample.QUESTION), out);
        assertTrue(out.contains("\n答: ") || out.contains("\n(the model kept calling tools: "),
                "the tool conversation ends in an answer or says why not: " + out);
        assertTrue(out.contains("工具调用: ["), out);
    }

    /** What the model's tool call gets back, and the call the sample prints afterwards. */
    @Test
    void theWeatherToolAnswersForTheCityAndRecordsTheCall() {
        StructuredOutputAndToolsSample.WeatherTools tools = new StructuredOutputAndToolsSample.WeatherTools();
        assertEquals("上海：晴，18 到 26 度", tools.weather(StructuredOutputAndToolsSample.City.上海));
        assertEquals(java.util.List.of("weather(上海)"), tools.calls);
    }
}
