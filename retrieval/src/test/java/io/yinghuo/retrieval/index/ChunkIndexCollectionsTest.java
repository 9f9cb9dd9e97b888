package io.yinghuo.retrieval.index;

import io.yinghuo.retrieval.TestIndexes;
import io.yinghuo.retrieval.vectors.ConceptEmbeddingModel;
import io.yinghuo.retrieval.vectors.Embedder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the collection list shows after registrations, renames, deletes and a restart of the embedded index. */
class ChunkIndexCollectionsTest {

    @TempDir
    Path dir;

    @Test
    void theDefaultCollectionHasNoNameToRegisterRenameOrDelete() throws IOException {
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> index.stageCollection("", 1L));
            assertEquals("the default collection has no name to register, rename or delete", refused.getMessage());
            assertThrows(IllegalArgumentException.class, () -> index.stageCollectionRename("", "新名"));
            assertThrows(IllegalArgumentException.class, () -> index.stageCollectionRename("旧名", ""));
            assertFalse(index.hasStagedChanges());
        }
    }

    @Test
    void aRenamedCollectionKeepsItsRegistrationDateAndTheOldNameIsGone() throws IOException {
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            index.stageCollection("旧库", 1234L);
            index.stageCollection("空库", 555L);
            TestIndexes.put(index, "a", "旧库", "河流", "长江是中国第一长河。");
            index.stageCollectionRename("旧库", "新库");
            index.stageCollectionRename("空库", "还是空的");
            index.commit();
            assertEquals(List.of(new CollectionRecord("", 0, 0, false), new CollectionRecord("新库", 1, 1234L, true),
                    new CollectionRecord("还是空的", 0, 555L, true)), index.collections());
            assertFalse(index.collectionExists("旧库"));
            assertFalse(index.collectionExists("空库"));
        }
    }

    @Test
    void registrationsSurviveARestart() throws IOException {
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            assertFalse(index.readOnly());
            assertEquals(dir, index.directory());
            assertEquals(dir.toString(), index.location());
            index.stageCollection("空库", 1234L);
            index.commit();
        }
        try (ChunkIndex reopened = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            assertEquals(List.of(new CollectionRecord("", 0, 0, false), new CollectionRecord("空库", 0, 1234L, true)),
                    reopened.collections());
        }
        try (ChunkIndex readOnly = ChunkIndex.openReadOnly(dir)) {
            assertTrue(readOnly.readOnly());
            assertTrue(readOnly.collectionExists("空库"));
        }
    }

    @Test
    void aCollectionOfDocumentsAloneExistsAndItsDeleteReturnsThem() throws IOException {
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            TestIndexes.put(index, "b", "河流", "珠江", "珠江流经广州。");
            TestIndexes.put(index, "a", "河流", "长江", "长江是中国第一长河。");
            assertTrue(index.collectionExists("河流"));
            assertFalse(index.collectionExists("山脉"));
            assertEquals(List.of("a", "b"), index.stageCollectionDelete("河流").stream()
                    .map(DocumentRecord::docId).toList());
            index.commit();
            assertFalse(index.collectionExists("河流"));
        }
    }

    @Test
    void theSameBytesInTwoCollectionsAreFoundUntilBothAreGone() throws IOException {
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            List<String> texts = List.of("长江是中国第一长河。");
            for (String[] doc : new String[][] {{"a", "甲"}, {"b", "乙"}}) {
                index.stageReplace(TestIndexes.record(doc[0], doc[1], "长江", texts, "same-sha"),
                        TestIndexes.chunks(texts));
            }
            index.commit();
            index.stageDelete("a");
            index.commit();
            assertEquals("b", index.documentBySha256("same-sha").orElseThrow().docId());
            index.stageDelete("b");
            index.commit();
            assertTrue(index.documentBySha256("same-sha").isEmpty());
        }
    }

    @Test
    void aMovedDocumentKeepsItsVectors() throws IOException {
        Embedder embedder = Embedder.of(new ConceptEmbeddingModel());
        try (ChunkIndex index = ChunkIndex.open(dir, IndexProfile.CHINESE_HYBRID)) {
            TestIndexes.put(index, "a", "旧库", "医疗", "医生在医院工作。", "病人需要按时吃药。", "诊所每晚八点关门。");
            DocumentRecord document = index.document("a").orElseThrow();
            List<ChunkRecord> chunks = index.chunks("a");
            assertTrue(index.stageVectors(document, chunks, embedder.space(), embedder.embedPassages(chunks.stream()
                    .map(c -> Embedder.passageText(document.title(), c.headingPath(), c.text())).toList())));
            index.commit();
            index.stageCollectionRename("旧库", "新库");
            index.commit();
            assertEquals("新库", index.document("a").orElseThrow().collection());
            assertEquals(embedder.space(), index.vectorSpace("a").orElseThrow());
            assertEquals(List.of(), index.documentsWithoutVectors(embedder.space()), "nothing to embed again");
            assertEquals(chunks, index.chunks("a"));
            float[] second = embedder.embedQuery("病人需要按时吃药");
            try (SearchSnapshot snapshot = index.snapshot()) {
                List<ChunkScore> nearest = snapshot.nearest(embedder.space(), second, SearchScope.ALL, 1, 10);
                assertEquals("病人需要按时吃药。", snapshot.chunks(List.of(nearest.get(0).key())).get(0).chunk().text(),
                        "each chunk moved with its own vector");
            }
        }
    }
}
