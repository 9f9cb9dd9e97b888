package io.yinghuo.web.generation.remote;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import io.yinghuo.model.langchain4j.YinghuoChatRequestParameters;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request's parameters as the OpenAI client sends them. The common ones (temperature, top_p, max tokens, stop
 * sequences, tools, tool choice, response format) map one to one; the server's model name replaces ours. Two that
 * OpenAI's API lacks travel as extra body fields, as vLLM, llama.cpp's server, TGI's OpenAI route and our own
 * {@code serve} read them: {@code top_k} (LangChain4j's OpenAI client refuses {@code topK} as a parameter, so it
 * goes through {@code customParameters}) and {@code repetition_penalty}. Our own extensions (response id, dropping
 * old exchanges) stay behind: they mean nothing to another server.
 *
 * @see <a href="https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html#extra-parameters">vLLM extra
 *      parameters</a>
 */
final class RemoteParameters {

    private RemoteParameters() {
    }

    static ChatRequest forRemote(ChatRequest request, String modelName) {
        ChatRequestParameters p = request.parameters();
        OpenAiChatRequestParameters.Builder b = OpenAiChatRequestParameters.builder()
                .modelName(modelName)
                .temperature(p.temperature())
                .topP(p.topP())
                .maxOutputTokens(p.maxOutputTokens())
                .stopSequences(p.stopSequences())
                .toolSpecifications(p.toolSpecifications())
                .toolChoice(p.toolChoice())
                .responseFormat(p.responseFormat());
        Map<String, Object> extra = new LinkedHashMap<>();
        if (p.topK() != null) {
            extra.put("top_k", p.topK());
        }
        if (p instanceof YinghuoChatRequestParameters y) {
            if (y.repetitionPenalty() != null) {
                extra.put("repetition_penalty", y.repetitionPenalty());
            }
            if (y.seed() != null) {
                // OpenAI's seed is a 32-bit integer; a longer one is folded rather than refused
                b.seed((int) (y.seed() ^ (y.seed() >>> 32)));
            }
        }
        if (!extra.isEmpty()) {
            b.customParameters(extra);
        }
        return ChatRequest.builder().messages(request.messages()).parameters(b.build()).build();
    }
}
