package io.yinghuo.retrieval;

import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.index.ChunkRecord;
import io.yinghuo.retrieval.index.DocumentRecord;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Builds small indexes for tests: a document is a list of chunk texts laid end to end. */
public final class TestIndexes {

    private TestIndexes() {
    }

    public static DocumentRecord record(String docId, String collection, String title, List<String> chunkTexts,
                                        String sha) {
        int chars = chunkTexts.stream().mapToInt(String::length).sum();
        return new DocumentRecord(docId, collection, docId + ".txt", title, "text", sha, chars * 3L, chars,
                chunkTexts.size(), 1, "", 0L);
    }

    public static List<ChunkRecord> chunks(List<String> chunkTexts) {
        List<ChunkRecord> chunks = new ArrayList<>();
        int at = 0;
        for (int i = 0; i < chunkTexts.size(); i++) {
            String text = chunkTexts.get(i);
            chunks.add(new ChunkRecord(i, at, at + text.length(), text, i + 1, i == 0 ? "" : "第二节"));
            at += text.length();
        }
        return chunks;
    }

    /** Stages and commits one document. */
    public static void put(ChunkStore index, String docId, String collection, String title, String... chunkTexts)
            throws IOException {
        List<String> texts = List.of(chunkTexts);
        index.stageReplace(record(docId, collection, title, texts, "sha-" + docId + "-" + texts.hashCode()),
                chunks(texts));
        index.commit();
    }
}
