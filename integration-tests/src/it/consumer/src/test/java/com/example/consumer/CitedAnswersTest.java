package com.example.consumer;

import dev.langchain4j.rag.content.Content;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import io.yinghuo.ingest.pipeline.DataFolder;
import io.yinghuo.ingest.pipeline.IngestOptions;
import io.yinghuo.ingest.pipeline.IngestPipeline;
import io.yinghuo.ingest.pipeline.IngestSource;
import io.yinghuo.model.langchain4j.YinghuoChatModel;
import io.yinghuo.model.runtime.LlamaModel;
import io.yinghuo.model.synth.CheckpointSynthesizer;
import io.yinghuo.model.synth.SentencePieceModelWriter;
import io.yinghuo.model.synth.Shape;
import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.langchain4j.ChineseContentRetriever;
import io.yinghuo.retrieval.rag.ChineseQueryTransformer;
import io.yinghuo.retrieval.rag.CitedRetrievalAugmentor;
import io.yinghuo.retrieval.rag.CitingContentInjector;
import io.yinghuo.retrieval.rag.PartQuotaContentAggregator;
import io.yinghuo.retrieval.search.ChunkSearcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ingest, retrieve and answer with citations through an AI service, from the published artifacts only. */
class CitedAnswersTest {

    interface Librarian {
        Result<String> ask(String question);
    }

    @TempDir
    Path dir;

    @Test
    void answersWithTheSourcesOfItsEvidence() throws Exception {
        Path modelFolder = Files.createDirectories(dir.resolve("Chinese-Alpaca-2-tiny"));
        CheckpointSynthesizer.builder().shape(Shape.TINY).seed(3).build().write(modelFolder);
        SentencePieceModelWriter.small().write(modelFolder.resolve(LlamaModel.TOKENIZER_FILE));
        DataFolder data = DataFolder.at(dir.resolve("data"));
        IngestOptions options = IngestOptions.defaults();
        try (ChunkIndex index = ChunkIndex.open(data.index(), options.profile());
             IngestPipeline pipeline = IngestPipeline.open(data, index, options);
             YinghuoChatModel model = YinghuoChatModel.builder().modelPath(modelFolder).device("cpu")
                     .contextLength(1024).maxOutputTokens(8).build()) {
            assertTrue(pipeline.ingest(IngestSource.of("长江.txt",
                    "长江是中国第一长河，全长约六千三百公里。".getBytes(StandardCharsets.UTF_8))).succeeded());
            assertTrue(pipeline.ingest(IngestSource.of("故宫.txt",
                    "故宫位于北京市中心，是明清两代的皇家宫殿。".getBytes(StandardCharsets.UTF_8))).succeeded());

            Librarian librarian = AiServices.builder(Librarian.class)
                    .chatModel(model)
                    .retrievalAugmentor(CitedRetrievalAugmentor.builder()
                            .queryTransformer(ChineseQueryTransformer.builder().build())
                            .contentRetriever(ChineseContentRetriever.builder()
                                    .searcher(new ChunkSearcher(index)).maxResults(5).build())
                            .contentAggregator(PartQuotaContentAggregator.builder().maxContents(3).build())
                            .contentInjector(CitingContentInjector.builder()
                                    .tokenCountEstimator(model.tokenCountEstimator())
                                    .contextTokens(model.contextLength()).answerTokens(8).build())
                            .build())
                    .build();
            Result<String> answer = librarian.ask("长江有多长？");

            assertNotNull(answer.content());
            List<String> files = answer.sources().stream()
                    .map(Content::textSegment)
                    .map(segment -> segment.metadata().getString(ChineseContentRetriever.FILE_NAME))
                    .toList();
            assertEquals("长江.txt", files.get(0), files.toString());
        }
    }
}
