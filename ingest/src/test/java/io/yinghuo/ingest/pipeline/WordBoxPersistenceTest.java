package io.yinghuo.ingest.pipeline;

import io.yinghuo.ingest.chunk.ChineseChunker;
import io.yinghuo.ingest.ocr.OcrEngine;
import io.yinghuo.ingest.ocr.OneWordOcr;
import io.yinghuo.ingest.parse.DocumentParsers;
import io.yinghuo.ingest.parse.ParseLimits;
import io.yinghuo.ingest.parse.ParsedDocument;
import io.yinghuo.ingest.parse.ParsedDocument.OcrPage;
import io.yinghuo.ingest.parse.ParsedDocument.WordBox;
import io.yinghuo.retrieval.index.DocumentRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OCR word boxes are kept with their document: durable across a reopen, replaced with a new version, removed with
 * the document or its collection, kept through a collection rename, and files no committed document names (what a
 * crash between writing them and committing leaves) removed at the next open.
 */
class WordBoxPersistenceTest {

    @TempDir
    Path dir;

    /**
     * Parses files whose text starts with {@value #SCAN} as if OCR had recognised the rest on one page, four
     * characters a word; anything else as plain text (a page with a text layer). Stands in for OCR so that a
     * version of a file with boxes and one without can share its name.
     */
    private static final String SCAN = "扫描:";

    private static ParsedDocument parse(String fileName, byte[] bytes) throws Exception {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (!text.startsWith(SCAN)) {
            return DocumentParsers.withDefaults().parse("page.txt", bytes);
        }
        String body = text.substring(SCAN.length());
        List<WordBox> words = new ArrayList<>();
        for (int start = 0; start < body.length(); start += 4) {
            int end = Math.min(body.length(), start + 4);
            words.add(new WordBox(start, end, 10 * (start % 40), 20 * (start / 40), 10 * (end - start), 12));
        }
        return new ParsedDocument(body, fileName, "image", List.of(new ParsedDocument.PageSpan(1, 0, body.length())),
                List.of(), List.of(), List.of(new OcrPage(1, 400, 300, "px", words)));
    }

    private OpenedFolder open() throws IOException {
        return open(IngestOptions.of(WordBoxPersistenceTest::parse, new ChineseChunker()::chunk));
    }

    private OpenedFolder open(IngestOptions options) throws IOException {
        return OpenedFolder.open(DataFolder.at(dir), options.withWorkers(2));
    }

    private WordBoxStore store() throws IOException {
        return new WordBoxStore(DataFolder.at(dir).wordBoxes());
    }

    private List<String> storedFiles() throws IOException {
        try (Stream<Path> files = Files.list(DataFolder.at(dir).wordBoxes())) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static byte[] scan(String text) {
        return (SCAN + text).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theBoxesOfAScanSurviveAReopenAndPointIntoItsText() throws Exception {
        String docId;
        try (OpenedFolder folder = open()) {
            IngestProgress done = folder.pipeline.ingest(IngestSource.of("扫描件.png", scan("故宫位于北京市中心。")));
            assertEquals(IngestOutcome.ADDED, done.outcome());
            docId = done.docId();
            folder.pipeline.ingest(IngestSource.of("普通.txt", "长城横贯中国北方。".getBytes(StandardCharsets.UTF_8)));
        }
        try (OpenedFolder folder = open()) {
            DocumentRecord record = folder.index.document(docId).orElseThrow();
            List<OcrPage> pages = store().read(docId, record.sha256()).orElseThrow();
            assertEquals(1, pages.size());
            OcrPage page = pages.get(0);
            assertEquals(List.of(1, 400f, 300f, "px"), List.of(page.page(), page.width(), page.height(), page.unit()));
            String text = folder.index.chunks(docId).get(0).text();
            assertEquals("故宫位于", text.substring(page.words().get(0).start(), page.words().get(0).end()));
            assertEquals(new WordBox(4, 8, 40, 0, 40, 12), page.words().get(1));
            assertEquals(1, storedFiles().size(), "only the scan has boxes");
        }
    }

    @Test
    void aNewVersionReplacesTheBoxesAndOneWithoutOcrRemovesThem() throws Exception {
        try (OpenedFolder folder = open()) {
            IngestProgress v1 = folder.pipeline.ingest(IngestSource.of("报告.png", scan("第一版的扫描文字。")));
            String v1Sha = folder.index.document(v1.docId()).orElseThrow().sha256();
            IngestProgress v2 = folder.pipeline.ingest(IngestSource.of("报告.png", scan("第二版，内容更长一些的扫描文字。")));
            assertEquals(IngestOutcome.REPLACED, v2.outcome());
            String v2Sha = folder.index.document(v2.docId()).orElseThrow().sha256();
            assertEquals(List.of(WordBoxStore.fileName(v2.docId(), v2Sha)), storedFiles());
            assertTrue(store().read(v1.docId(), v1Sha).isEmpty());
            assertEquals(4, store().read(v2.docId(), v2Sha).orElseThrow().get(0).words().size());

            IngestProgress v3 = folder.pipeline.ingest(IngestSource.of("报告.png",
                    "第三版有文字层，不必识别。".getBytes(StandardCharsets.UTF_8)));
            assertEquals(IngestOutcome.REPLACED, v3.outcome());
            assertEquals(List.of(), storedFiles(), "the old boxes no longer match the text");
        }
    }

    @Test
    void deletingADocumentOrItsCollectionRemovesItsBoxesAndARenameKeepsThem() throws Exception {
        try (OpenedFolder folder = open()) {
            IngestProgress lone = folder.pipeline.ingest(IngestSource.of("单页.png", scan("单独的一页扫描。")));
            IngestProgress kept = folder.pipeline.ingest(new IngestSource("合同.png", scan("合同第一页。"), "旧名"));
            IngestProgress other = folder.pipeline.ingest(new IngestSource("附件.png", scan("附件第一页。"), "旧名"));
            assertEquals(3, storedFiles().size());

            assertTrue(folder.pipeline.delete(lone.docId()));
            assertEquals(2, storedFiles().size());
            assertTrue(storedFiles().stream().noneMatch(name -> name.startsWith(lone.docId() + ".")));

            folder.pipeline.renameCollection("旧名", "新名");
            DocumentRecord moved = folder.index.document(kept.docId()).orElseThrow();
            assertEquals("新名", moved.collection());
            assertTrue(store().read(kept.docId(), moved.sha256()).isPresent(), "ids and hashes survive a rename");

            assertEquals(2, folder.pipeline.deleteCollection("新名"));
            assertEquals(List.of(), storedFiles());
            assertTrue(folder.index.document(other.docId()).isEmpty());
        }
    }

    @Test
    void boxesWrittenForAVersionThatWasNeverCommittedAreRemovedAtTheNextOpen() throws Exception {
        String docId;
        String committedSha;
        try (OpenedFolder folder = open()) {
            docId = folder.pipeline.ingest(IngestSource.of("档案.png", scan("已提交的版本。"))).docId();
            committedSha = folder.index.document(docId).orElseThrow().sha256();
        }
        // What a crash leaves: a worker wrote the boxes of a new version (and of a new document), and the process
        // died before the commit that would have published them; a temporary file half written.
        WordBoxStore store = store();
        String uncommittedSha = DocumentIds.sha256(scan("未提交的新版本。"));
        OcrPage page = new OcrPage(1, 100, 100, "px", List.of(new WordBox(0, 2, 1, 1, 5, 5)));
        store.save(docId, uncommittedSha, List.of(page));
        store.save("0123456789abcdef0123", uncommittedSha, List.of(page));
        Files.write(DataFolder.at(dir).wordBoxes().resolve(".tmp-interrupted"), new byte[] {31, -117});
        Files.writeString(DataFolder.at(dir).wordBoxes().resolve("stray.txt"), "不是我们的文件");
        assertEquals(5, storedFiles().size());

        try (OpenedFolder folder = open()) {
            assertEquals(List.of(WordBoxStore.fileName(docId, committedSha)), storedFiles());
            assertEquals("已提交", folder.index.chunks(docId).get(0).text().substring(0, 3));
            assertEquals(2, store.read(docId, committedSha).orElseThrow().get(0).words().size());
        }
    }

    @Test
    void aScanRecognisedByAnOcrEngineKeepsItsBoxesThroughThePipeline() throws Exception {
        OcrEngine engine = new OneWordOcr();
        DocumentParsers parsers = new DocumentParsers(ParseLimits.defaults(), engine);
        ParseStep ocr = new ParseStep() {
            @Override
            public ParsedDocument parse(String fileName, byte[] bytes) throws Exception {
                return parsers.parse(fileName, bytes);
            }
        };
        try (OpenedFolder folder = open(IngestOptions.of(ocr, new ChineseChunker()::chunk))) {
            IngestProgress done = folder.pipeline.ingest(IngestSource.of("页面.png", png()));
            assertEquals(IngestOutcome.ADDED, done.outcome(), done.message());
            DocumentRecord record = folder.index.document(done.docId()).orElseThrow();
            OcrPage page = store().read(done.docId(), record.sha256()).orElseThrow().get(0);
            assertEquals("px", page.unit());
            WordBox word = page.words().get(0);
            assertEquals(OneWordOcr.WORD, folder.index.chunks(done.docId()).get(0).text()
                    .substring(word.start(), word.end()));
            assertEquals(List.of(10f, 20f, 40f, 10f), List.of(word.x(), word.y(), word.width(), word.height()));
        }
    }

    private static byte[] png() throws IOException {
        BufferedImage image = new BufferedImage(200, 100, BufferedImage.TYPE_BYTE_GRAY);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    @Test
    void theFileFormatKeepsEveryFieldAndRefusesAnotherVersion() throws Exception {
        OcrPage page = new OcrPage(3, 595.3f, 841.9f, "pt",
                List.of(new WordBox(0, 4, 72.5f, 100.25f, 48f, 12.5f), new WordBox(5, 9, 130f, 100f, 40f, 12f)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WordBoxJson.write(List.of(page), out);
        assertEquals(List.of(page), WordBoxJson.read(new java.io.ByteArrayInputStream(out.toByteArray())));
        assertFalse(new String(out.toByteArray(), StandardCharsets.UTF_8).contains("\"start\""),
                "words are arrays, not objects");
        byte[] future = "{\"version\":2,\"pages\":[]}".getBytes(StandardCharsets.UTF_8);
        org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> WordBoxJson.read(new java.io.ByteArrayInputStream(future)));
    }
}
