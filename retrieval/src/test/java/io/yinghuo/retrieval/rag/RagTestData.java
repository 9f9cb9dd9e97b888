package io.yinghuo.retrieval.rag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.rag.content.Content;
import io.yinghuo.model.testing.SharedData;
import io.yinghuo.retrieval.langchain4j.ChineseContentRetriever;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test data for the rag package: passages as retrievers return them, and the team's shared folder. */
final class RagTestData {


    private RagTestData() {
    }

    /** A retrieved passage with the citation metadata ChineseContentRetriever writes. */
    static Content passage(String docId, int chunk, String text) {
        Metadata metadata = new Metadata()
                .put(ChineseContentRetriever.DOCUMENT_ID, docId)
                .put(ChineseContentRetriever.FILE_NAME, docId + ".pdf")
                .put(ChineseContentRetriever.TITLE, "标题" + docId)
                .put(ChineseContentRetriever.PAGE, chunk + 1)
                .put(ChineseContentRetriever.START_OFFSET, chunk * 1000)
                .put(ChineseContentRetriever.END_OFFSET, chunk * 1000 + text.length())
                .put(ChineseContentRetriever.CHUNK_INDEX, chunk)
                .put(ChineseContentRetriever.SCORE, 1.0);
        return Content.from(TextSegment.from(text, metadata));
    }

    static Content passage(String docId, int chunk, String text, int part) {
        return PartQuotaContentAggregator.withPart(passage(docId, chunk, text), part);
    }

    static Path realTokenizerOrSkip() {
        return SharedData.require("models/chinese-llama-2-tokenizer/tokenizer.model");
    }

    /**
     * Long Chinese passages: the DRCD dev articles (traditional script, up to 8,000 characters each) cut into
     * 300-character passages, or a skipped test when the shared data are absent.
     */
    static List<Content> longChinesePassagesOrSkip(int max) throws IOException {
        Path file = SharedData.require("data/cmrc2018-dev/drcd_documents.jsonl");
        ObjectMapper json = new ObjectMapper();
        List<Content> passages = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            JsonNode doc = json.readTree(line);
            String text = doc.get("text").asText();
            for (int at = 0, chunk = 0; at < text.length() && passages.size() < max; at += 300, chunk++) {
                passages.add(passage(doc.get("doc_id").asText(), chunk,
                        text.substring(at, Math.min(text.length(), at + 300))));
            }
            if (passages.size() >= max) {
                break;
            }
        }
        return passages;
    }

    /** Generated Chinese passages (no shared files needed): varied characters, so that no two are alike. */
    static List<Content> generatedPassages(int count, int chars) {
        String alphabet = "北京上海长江黄河大学历史文化经济发展人口面积城市公司技术研究中心地区国家政府学校医院科学艺术音乐电影";
        List<Content> passages = new ArrayList<>();
        long seed = 42;
        for (int i = 0; i < count; i++) {
            StringBuilder text = new StringBuilder(chars);
            for (int c = 0; c < chars; c++) {
                seed = seed * 6364136223846793005L + 1442695040888963407L;
                text.append(c % 23 == 22 ? '，' : alphabet.charAt((int) ((seed >>> 33) % alphabet.length())));
            }
            passages.add(passage("doc" + (i % 7), i, text.append('。').toString()));
        }
        return passages;
    }
}
