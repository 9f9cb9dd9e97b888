package io.yinghuo.samples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RagSampleTest {

    @Test
    void ingestsTheDocumentsAndAnswersWithNumberedSourcesForEveryPart() throws Exception {
        String out = SampleOutput.of(RagSample::main);
        assertTrue(out.contains("No model folder given: using a tiny model with random weights."), out);
        assertEquals(RagSample.QUESTIONS.size(), out.split("\n答: ", -1).length - 1, "one answer per question: " + out);
        for (String name : RagSample.SAMPLE_DOCUMENTS.keySet()) {
            assertTrue(out.contains("ingested " + name + ": "), out);
        }
        String first = out.substring(out.indexOf("问: 长江有多长？"), out.indexOf("问: 龙井茶"));
        assertTrue(first.contains("[1] 长江.txt, page 1: 长江是中国第一长河"), first);
        String second = out.substring(out.indexOf("问: 龙井茶"));
        assertTrue(second.contains("茶叶.md") && second.contains("故宫.txt"),
                "the compound question has evidence for both parts: " + second);
    }

    /**
     * As a user runs it: their documents folder (one of them not a document) and a model folder; every file is
     * reported, the failed one with its reason, and no random-weights notice. With the folder alone, a tiny model is
     * synthesized and the notice says so.
     */
    @Test
    void runsOverTheFoldersItIsGivenAndReportsAFileThatFails(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path docs = java.nio.file.Files.createDirectories(dir.resolve("docs"));
        java.nio.file.Files.writeString(docs.resolve("长江.txt"), RagSample.SAMPLE_DOCUMENTS.get("长江.txt"));
        java.nio.file.Files.write(docs.resolve("坏.pdf"), new byte[] {'%', 'P', 'D', 'F', '-', 0, 1, 2});

        String withModel = SampleOutput.of(RagSample::main, docs.toString(),
                StreamingChatSample.synthesizeTinyModel().toString());
        assertTrue(!withModel.contains("random weights"), withModel);
        assertTrue(withModel.contains("ingested 长江.txt: 1 chunks"), withModel);
        assertTrue(withModel.contains("ingested 坏.pdf: failed, "), withModel);
        assertTrue(withModel.contains("[1] 长江.txt, page 1: 长江是中国第一长河"), withModel);

        String folderOnly = SampleOutput.of(RagSample::main, docs.toString());
        assertTrue(folderOnly.contains("random weights"), folderOnly);
        assertTrue(folderOnly.contains("ingested 长江.txt: 1 chunks"), folderOnly);
    }


    /** A citation shows a source's first 40 characters, and an ellipsis only when there were more. */
    @Test
    void aCitationShowsTheFirstFortyCharacters() {
        String forty = "长".repeat(40);
        assertEquals("[3] a.txt, page 2: " + forty, RagSample.citation(source(forty)));
        assertEquals("[3] a.txt, page 2: " + forty + "…", RagSample.citation(source(forty + "江")));
        assertEquals("[3] a.txt, page 2: 第一行 第二行", RagSample.citation(source("第一行\n第二行")));
    }

    private static dev.langchain4j.rag.content.Content source(String text) {
        dev.langchain4j.data.document.Metadata metadata = new dev.langchain4j.data.document.Metadata()
                .put(io.yinghuo.retrieval.rag.Evidence.NUMBER, 3)
                .put(io.yinghuo.retrieval.langchain4j.ChineseContentRetriever.FILE_NAME, "a.txt")
                .put(io.yinghuo.retrieval.langchain4j.ChineseContentRetriever.PAGE, 2);
        return dev.langchain4j.rag.content.Content.from(dev.langchain4j.data.segment.TextSegment.from(text, metadata));
    }
}
