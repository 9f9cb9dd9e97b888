package io.yinghuo.retrieval.solr;

import io.yinghuo.retrieval.index.ChunkRecord;
import io.yinghuo.retrieval.index.DocumentRecord;
import io.yinghuo.retrieval.index.IndexFields;
import io.yinghuo.retrieval.index.IndexProfile;
import io.yinghuo.retrieval.index.IndexedChunk;
import io.yinghuo.retrieval.vectors.VectorSpace;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Solr documents a Yinghuo document becomes, and back, without a cluster (the store's behaviour against a real
 * SolrCloud is {@code SolrChunkStoreContractTest}'s): ids that route a document's chunks and entry to one shard,
 * every field a search hit or the catalogue reads, vectors, and stored values Solr gives back in other shapes.
 */
class SolrRecordsTest {

    private static final DocumentRecord DOC = new DocumentRecord("d-7", "财务", "年报.pdf", "2023 年度报告", "pdf",
            "ab12", 4096L, 321, 2, 5, "originals/d-7.pdf", 1_700_000_000_123L);
    private static final ChunkRecord FIRST = new ChunkRecord(0, 0, 150, "营业收入同比增长百分之十二。", 1, "2023 年度报告");
    private static final ChunkRecord SECOND = new ChunkRecord(1, 150, 321, "净利润为三亿元。", 4, "第三章 财务 > 利润");

    @Test
    void aDocumentIsItsChunksThenItsCatalogueEntryAllRoutedByTheDocumentId() {
        List<SolrInputDocument> block = SolrRecords.block(IndexProfile.CHINESE_HYBRID, DOC, List.of(FIRST, SECOND),
                null, null);
        assertEquals(3, block.size());
        assertEquals("d-7!c0", block.get(0).getFieldValue(SolrRecords.ID));
        assertEquals("d-7!c1", block.get(1).getFieldValue(SolrRecords.ID));
        assertEquals("d-7!doc", block.get(2).getFieldValue(SolrRecords.ID));
        assertEquals(IndexFields.KIND_CHUNK, block.get(1).getFieldValue(IndexFields.KIND));
        assertEquals(IndexFields.KIND_DOCUMENT, block.get(2).getFieldValue(IndexFields.KIND));
        for (SolrInputDocument d : block) {
            assertEquals("d-7", d.getFieldValue(IndexFields.DOC_ID));
            assertEquals("财务", d.getFieldValue(IndexFields.COLLECTION));
            assertEquals("年报.pdf", d.getFieldValue(IndexFields.FILE_NAME));
            assertEquals("2023 年度报告", d.getFieldValue(IndexFields.TITLE));
            assertNull(d.getFieldValue(IndexFields.VECTOR_SPACE), "no vectors, no vector space");
        }
        // the search fields hold the title, a heading other than the title, then the chunk's text
        assertEquals("2023 年度报告\n营业收入同比增长百分之十二。", block.get(0).getFieldValue(IndexFields.WORDS));
        assertEquals("2023 年度报告\n第三章 财务 > 利润\n净利润为三亿元。", block.get(1).getFieldValue(IndexFields.BIGRAMS));
    }

    @Test
    void chunksAndTheEntryComeBackAsTheyWereWritten() {
        VectorSpace space = new VectorSpace("bge-small-zh-v1.5", 3);
        List<SolrInputDocument> block = SolrRecords.block(IndexProfile.CHINESE_HYBRID, DOC, List.of(FIRST, SECOND),
                space, List.of(new float[] {0.5f, -1f, 2f}, new float[] {0f, 0.25f, -0.125f}));
        SolrDocument first = stored(block.get(0));
        SolrDocument second = stored(block.get(1));
        assertEquals(FIRST, SolrRecords.chunk(first));
        assertEquals(new IndexedChunk("d-7", "财务", "年报.pdf", "2023 年度报告", SECOND), SolrRecords.indexedChunk(second));
        assertArrayEquals(new float[] {0.5f, -1f, 2f}, SolrRecords.vector(first, space.fieldName()));
        assertArrayEquals(new float[] {0f, 0.25f, -0.125f}, SolrRecords.vector(second, space.fieldName()));
        assertEquals(space.label(), first.getFieldValue(IndexFields.VECTOR_SPACE));
        SolrDocument entry = stored(block.get(2));
        assertEquals(DOC, SolrRecords.documentRecord(entry));
        assertEquals(space.label(), entry.getFieldValue(IndexFields.VECTOR_SPACE));
        assertNull(SolrRecords.vector(entry, space.fieldName()), "the entry has no vector");
    }

    @Test
    void storedValuesInOtherShapesAreRead() {
        SolrDocument doc = new SolrDocument();
        doc.setField(SolrRecords.ID, "d-1!c3");
        doc.setField("v", 1.5d); // a one-dimensional vector comes back as a single value
        assertArrayEquals(new float[] {1.5f}, SolrRecords.vector(doc, "v"));
        doc.setField("w", List.of(1, 2L, 0.5d)); // integers and doubles in a multi-valued field
        assertArrayEquals(new float[] {1f, 2f, 0.5f}, SolrRecords.vector(doc, "w"));
        // Solr does not keep empty strings of some field types: a missing string field reads as ""
        assertEquals("", SolrRecords.string(doc, IndexFields.HEADING));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SolrRecords.chunk(doc));
        assertEquals("stored field chunk_index missing from Solr document d-1!c3", e.getMessage());
    }

    @Test
    void collectionEntriesAreRoutedByAFixedPrefixWhateverTheName() {
        SolrInputDocument entry = SolrRecords.collectionEntry("财务!部/2023", 42L);
        String id = (String) entry.getFieldValue(SolrRecords.ID);
        assertTrue(id.startsWith("collections!"), id);
        assertEquals(1, id.chars().filter(c -> c == '!').count(), "the name's own '!' must not add a routing part");
        assertEquals(SolrRecords.collectionId("财务!部/2023"), id);
        assertTrue(!SolrRecords.collectionId("财务").equals(SolrRecords.collectionId("财务 ")));
        assertEquals(IndexFields.KIND_COLLECTION, entry.getFieldValue(IndexFields.KIND));
        assertEquals("财务!部/2023", entry.getFieldValue(IndexFields.COLLECTION_KEY));
        assertEquals(42L, entry.getFieldValue(IndexFields.CREATED_AT));
    }

    @Test
    void queriesEscapeTheValuesTheyMatch() {
        assertEquals("doc_id:\"a\\:b\\\"c\"", SolrAccess.is("doc_id", "a:b\"c"));
        assertEquals("doc_id:(\"x\" OR \"y\\ z\")", SolrAccess.anyOf("doc_id", List.of("x", "y z")));
    }

    /** What a query returns for a written document: its fields, multi-valued ones as lists. */
    private static SolrDocument stored(SolrInputDocument in) {
        SolrDocument out = new SolrDocument();
        for (String name : in.getFieldNames()) {
            out.setField(name, in.getField(name).getValue());
        }
        return out;
    }
}
