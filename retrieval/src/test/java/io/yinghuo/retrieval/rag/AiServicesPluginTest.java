package io.yinghuo.retrieval.rag;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import io.yinghuo.model.chat.ChatTemplates;
import io.yinghuo.model.langchain4j.YinghuoTokenCountEstimator;
import io.yinghuo.model.synth.SentencePieceModelWriter;
import io.yinghuo.model.tokenizer.SentencePieceTokenizer;
import io.yinghuo.retrieval.TestIndexes;
import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.index.IndexProfile;
import io.yinghuo.retrieval.langchain4j.ChineseContentRetriever;
import io.yinghuo.retrieval.search.ChunkSearcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The augmentor as another LangChain4j app uses it: inside an AI service with a chat memory. */
class AiServicesPluginTest {

    interface Assistant {
        Result<String> answer(String question);
    }

    /** Answers by citing the passage that holds "公里" or "北京", as a model following the prompt would. */
    static final class CitingModel implements ChatModel {
        final List<List<ChatMessage>> seen = new ArrayList<>();

        @Override
        public ChatResponse doChat(ChatRequest request) {
            seen.add(request.messages());
            String prompt = ((UserMessage) request.messages().get(request.messages().size() - 1)).singleText();
            StringBuilder answer = new StringBuilder();
            for (String line : prompt.split("\n")) {
                if (line.startsWith("[") && line.contains("来源")) {
                    String number = line.substring(1, line.indexOf(']'));
                    int next = prompt.indexOf(line) + line.length() + 1;
                    String text = prompt.substring(next, prompt.indexOf('\n', next));
                    if (text.contains("公里") || text.contains("北京")) {
                        answer.append(text).append('[').append(number).append(']');
                    }
                }
            }
            return ChatResponse.builder().aiMessage(AiMessage.from(answer.toString())).build();
        }
    }

    @Test
    void citationsMapToTheResultSourcesAndFollowUpsUseTheMemory(@TempDir Path dir) throws IOException {
        try (ChunkIndex index = ChunkIndex.open(dir.resolve("index"), IndexProfile.CHINESE_HYBRID)) {
            TestIndexes.put(index, "river", "", "长江", "长江全长六千三百公里。", "长江流域人口众多。");
            TestIndexes.put(index, "palace", "", "故宫", "故宫位于北京市中心。");
            YinghuoTokenCountEstimator estimator = new YinghuoTokenCountEstimator(SentencePieceTokenizer.load(
                    SentencePieceModelWriter.small().write(dir.resolve("t.model"))), ChatTemplates.alpaca2());
            CitingModel model = new CitingModel();
            Assistant assistant = AiServices.builder(Assistant.class)
                    .chatModel(model)
                    .chatMemory(MessageWindowChatMemory.withMaxMessages(10))
                    .retrievalAugmentor(CitedRetrievalAugmentor.builder()
                            .contentRetriever(ChineseContentRetriever.builder()
                                    .searcher(new ChunkSearcher(index)).dynamicFilter(RagQueries::filter).build())
                            .contentInjector(CitingContentInjector.builder().tokenCountEstimator(estimator)
                                    .contextTokens(4096).answerTokens(256).build())
                            .build())
                    .storeRetrievedContentInChatMemory(false)
                    .build();

            Result<String> result = assistant.answer("长江有多长？另外，故宫在哪里？");
            List<Integer> cited = Citations.numbers(result.content());
            assertEquals(2, cited.size(), result.content());
            for (int n : cited) {
                Content source = result.sources().get(n - 1);
                assertEquals(n, source.textSegment().metadata().getInteger(Evidence.NUMBER));
                assertTrue(result.content().contains(source.textSegment().text() + "[" + n + "]"));
            }

            // A follow-up: the memory holds the first exchange, and the question is made standalone for retrieval.
            Result<String> followUp = assistant.answer("它的人口多吗？");
            assertTrue(followUp.sources().stream().allMatch(c -> "river".equals(c.textSegment().metadata()
                    .getString(ChineseContentRetriever.DOCUMENT_ID))), followUp.sources().toString());
        }
    }
}
