package io.yinghuo.ingest.pipeline;

import io.yinghuo.retrieval.index.CollectionRecord;
import io.yinghuo.retrieval.index.DocumentRecord;
import io.yinghuo.retrieval.search.SearchHit;
import io.yinghuo.retrieval.search.SearchRequest;
import io.yinghuo.retrieval.vectors.Embedder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Collections created, renamed and deleted through a real pipeline, and what the index holds after a reopen. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CollectionEditorTest {

    @TempDir
    Path dir;

    private OpenedFolder open() throws IOException {
        return OpenedFolder.open(DataFolder.at(dir), IngestOptions.defaults().withCommitWindowMillis(2));
    }

    private static IngestProgress ingest(OpenedFolder folder, String collection, String name, String text)
            throws InterruptedException {
        IngestProgress progress = folder.pipeline.ingest(
                new IngestSource(name, text.getBytes(StandardCharsets.UTF_8), collection));
        assertTrue(progress.succeeded(), progress::toString);
        return progress;
    }

    private static Map<String, CollectionRecord> collections(OpenedFolder folder) {
        return folder.index.collections().stream().collect(Collectors.toMap(CollectionRecord::name, c -> c));
    }

    private static List<String> hitIds(OpenedFolder folder, String query, String collection) throws IOException {
        return folder.searcher.search(SearchRequest.of(query, 10).withCollections(Set.of(collection)))
                .stream().map(SearchHit::docId).distinct().toList();
    }

    @Test
    void aCreatedCollectionStaysWhileEmptyAndAcrossAReopen() throws Exception {
        try (OpenedFolder folder = open()) {
            assertEquals(Set.of(""), collections(folder).keySet(), "the default collection always exists");
            CollectionRecord created = folder.pipeline.createCollection("  合同  ");
            assertEquals("合同", created.name(), "names are stripped");
            assertEquals(0, created.documents());
            assertTrue(created.registered());
            CollectionException again = assertThrows(CollectionException.class,
                    () -> folder.pipeline.createCollection("合同"));
            assertEquals(CollectionException.Reason.EXISTS, again.reason());
        }
        try (OpenedFolder folder = open()) {
            assertEquals(Set.of("", "合同"), collections(folder).keySet(), "the registration is durable");
        }
    }

    @Test
    void namesAreCheckedBeforeAnythingChanges() throws Exception {
        try (OpenedFolder folder = open()) {
            assertEquals(CollectionException.Reason.NAME_EMPTY, assertThrows(CollectionException.class,
                    () -> folder.pipeline.createCollection("  ")).reason());
            assertEquals(CollectionException.Reason.NAME_TOO_LONG, assertThrows(CollectionException.class,
                    () -> folder.pipeline.createCollection("长".repeat(CollectionNames.MAX_LENGTH + 1))).reason());
            assertEquals(CollectionException.Reason.NAME_HAS_CONTROL_CHARACTERS, assertThrows(
                    CollectionException.class, () -> folder.pipeline.createCollection("a\u0007b")).reason());
            assertEquals(CollectionException.Reason.DEFAULT_COLLECTION, assertThrows(CollectionException.class,
                    () -> folder.pipeline.renameCollection("", "新")).reason());
            assertEquals(CollectionException.Reason.DEFAULT_COLLECTION, assertThrows(CollectionException.class,
                    () -> folder.pipeline.deleteCollection(" ")).reason());
            assertEquals(CollectionException.Reason.NOT_FOUND, assertThrows(CollectionException.class,
                    () -> folder.pipeline.renameCollection("没有", "新")).reason());
            assertEquals(CollectionException.Reason.NOT_FOUND, assertThrows(CollectionException.class,
                    () -> folder.pipeline.deleteCollection("没有")).reason());
            assertEquals(CollectionNames.MAX_LENGTH,
                    folder.pipeline.createCollection("长".repeat(CollectionNames.MAX_LENGTH)).name().length());
            assertEquals(Set.of("", "长".repeat(CollectionNames.MAX_LENGTH)), collections(folder).keySet());
        }
    }

    @Test
    void aRenameMovesEveryDocumentKeepingIdsChunksAndVectors() throws Exception {
        BigramEmbeddingModel model = new BigramEmbeddingModel("bigram-test");
        Embedder embedder = Embedder.of(model, model.modelName(), BigramEmbeddingModel.DIMENSION, "");
        String kept;
        String other;
        try (OpenedFolder folder = open()) {
            kept = ingest(folder, "旧库", "长江.txt", "长江是中国最长的河流，流经十一个省份。").docId();
            String second = ingest(folder, "旧库", "黄河.txt", "黄河是中华文明的母亲河，泥沙含量很高。").docId();
            other = ingest(folder, "别的", "长江.txt", "另一个库里也有一篇讲长江航运的文档。").docId();
            folder.pipeline.createCollection("已有");
            folder.pipeline.startVectors(embedder).awaitComplete();
            var chunksBefore = folder.index.chunks(kept);
            var vectorsBefore = IndexedVectors.of(folder.index, kept, embedder.space());
            assertFalse(vectorsBefore.isEmpty());

            assertEquals(CollectionException.Reason.EXISTS, assertThrows(CollectionException.class,
                    () -> folder.pipeline.renameCollection("旧库", "已有")).reason(), "never merges silently");
            CollectionRecord renamed = folder.pipeline.renameCollection("旧库", "新库");

            assertEquals(new CollectionRecord("新库", 2, renamed.createdAtMillis(), true), renamed);
            assertEquals(Set.of("", "新库", "别的", "已有"), collections(folder).keySet());
            assertEquals("新库", folder.index.document(kept).orElseThrow().collection(), "same id, new collection");
            assertEquals("新库", folder.index.document(second).orElseThrow().collection());
            assertEquals("别的", folder.index.document(other).orElseThrow().collection(), "others untouched");
            assertEquals(chunksBefore, folder.index.chunks(kept));
            var vectorsAfter = IndexedVectors.of(folder.index, kept, embedder.space());
            assertEquals(vectorsBefore.keySet(), vectorsAfter.keySet());
            vectorsBefore.forEach((chunk, vector) -> assertArrayEquals(vector, vectorsAfter.get(chunk)));
            assertTrue(folder.index.documentsWithoutVectors(embedder.space()).isEmpty(), "no vector is recomputed");
            assertEquals(List.of(kept), hitIds(folder, "长江", "新库"));
            assertEquals(List.of(), hitIds(folder, "长江", "旧库"));

            // The same name uploaded into the renamed collection replaces that document; into the old name it is
            // a new document, with an id of its own.
            assertEquals(kept, ingest(folder, "新库", "长江.txt", "长江全长六千三百公里，是亚洲第一长河。").docId());
            String fresh = ingest(folder, "旧库", "长江.txt", "旧库重新建立后上传的长江资料。").docId();
            assertNotEquals(kept, fresh);
            assertEquals(2, collections(folder).get("新库").documents());
            assertEquals(1, collections(folder).get("旧库").documents());
        }
        try (OpenedFolder folder = open()) {
            assertEquals("新库", folder.index.document(kept).orElseThrow().collection(), "the rename is durable");
            assertEquals(Set.of("", "新库", "别的", "已有", "旧库"), collections(folder).keySet());
        }
    }

    @Test
    void aDeleteRemovesTheDocumentsTheirOriginalsAndTheName() throws Exception {
        try (OpenedFolder folder = open()) {
            folder.pipeline.createCollection("临时");
            DocumentRecord gone = folder.index.document(
                    ingest(folder, "临时", "a.txt", "临时文档的内容，讲的是运河。").docId()).orElseThrow();
            String stays = ingest(folder, "", "b.txt", "默认库里的文档，也讲运河。").docId();
            Path original = folder.originals.resolve(gone.originalPath());
            assertTrue(Files.exists(original));

            assertEquals(1, folder.pipeline.deleteCollection("临时"));

            assertTrue(folder.index.document(gone.docId()).isEmpty());
            assertFalse(Files.exists(original), "the original goes with its document");
            assertTrue(folder.index.document(stays).isPresent());
            assertEquals(Set.of(""), collections(folder).keySet());
            assertEquals(List.of(stays), folder.searcher.search(SearchRequest.of("运河", 10))
                    .stream().map(SearchHit::docId).distinct().toList());
        }
        try (OpenedFolder folder = open()) {
            assertEquals(Set.of(""), collections(folder).keySet());
        }
    }
}
