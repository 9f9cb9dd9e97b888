package io.yinghuo.retrieval.solr;

import io.yinghuo.retrieval.index.ChunkRecord;
import io.yinghuo.retrieval.index.DocumentRecord;
import io.yinghuo.retrieval.index.IndexFields;
import io.yinghuo.retrieval.index.IndexProfile;
import io.yinghuo.retrieval.index.IndexedChunk;
import io.yinghuo.retrieval.vectors.VectorSpace;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The Solr documents of a Yinghuo document: its chunks and its catalogue entry, all with ids
 * {@code docId!…} so that SolrCloud's compositeId router puts every one of them on the shard of {@code docId}
 * (the replacement of a document is then one shard's business, and one commit there swaps it whole).
 */
final class SolrRecords {

    /**
     * Field of each entry naming the commit that wrote it (time-ordered, see {@code SolrChunkStore}): a replacement
     * deletes the document's entries of older commits, and an older commit's entry never overwrites a newer one.
     */
    static final String DOC_VERSION = "doc_version";
    static final String ID = "id";

    private SolrRecords() {
    }

    static String chunkId(String docId, int index) {
        return docId + "!c" + index;
    }

    static String entryId(String docId) {
        return docId + "!doc";
    }

    /** A registered collection's entry, routed by a fixed prefix (the name may hold any character). */
    static String collectionId(String name) {
        return "collections!" + java.util.HexFormat.of().formatHex(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static List<SolrInputDocument> block(IndexProfile profile, DocumentRecord document, List<ChunkRecord> chunks,
                                         VectorSpace space, List<float[]> vectors) {
        List<SolrInputDocument> block = new ArrayList<>(chunks.size() + 1);
        for (int i = 0; i < chunks.size(); i++) {
            ChunkRecord chunk = chunks.get(i);
            SolrInputDocument doc = common(document, chunkId(document.docId(), chunk.index()), IndexFields.KIND_CHUNK);
            doc.addField(IndexFields.CHUNK_INDEX, chunk.index());
            doc.addField(IndexFields.START, chunk.start());
            doc.addField(IndexFields.END, chunk.end());
            doc.addField(IndexFields.PAGE, chunk.page());
            doc.addField(IndexFields.HEADING, chunk.headingPath());
            doc.addField(IndexFields.TEXT, chunk.text());
            String indexed = profile.indexedText(document, chunk);
            for (IndexProfile.SearchField field : profile.searchFields()) {
                doc.addField(field.name(), indexed);
            }
            if (space != null) {
                doc.addField(IndexFields.VECTOR_SPACE, space.label());
                doc.addField(space.fieldName(), asList(vectors.get(i)));
            }
            block.add(doc);
        }
        SolrInputDocument entry = common(document, entryId(document.docId()), IndexFields.KIND_DOCUMENT);
        entry.addField(IndexFields.FORMAT, document.format());
        entry.addField(IndexFields.SHA256, document.sha256());
        entry.addField(IndexFields.SIZE_BYTES, document.sizeBytes());
        entry.addField(IndexFields.CHAR_COUNT, document.charCount());
        entry.addField(IndexFields.CHUNK_COUNT, document.chunkCount());
        entry.addField(IndexFields.PAGE_COUNT, document.pageCount());
        entry.addField(IndexFields.ORIGINAL_PATH, document.originalPath());
        entry.addField(IndexFields.INGESTED_AT, document.ingestedAtMillis());
        if (space != null) {
            entry.addField(IndexFields.VECTOR_SPACE, space.label());
        }
        block.add(entry);
        return block;
    }

    private static SolrInputDocument common(DocumentRecord document, String id, String kind) {
        SolrInputDocument doc = new SolrInputDocument();
        doc.addField(ID, id);
        doc.addField(IndexFields.KIND, kind);
        doc.addField(IndexFields.DOC_ID, document.docId());
        doc.addField(IndexFields.COLLECTION, document.collection());
        doc.addField(IndexFields.FILE_NAME, document.fileName());
        doc.addField(IndexFields.TITLE, document.title());
        return doc;
    }

    static SolrInputDocument collectionEntry(String name, long createdAtMillis) {
        SolrInputDocument doc = new SolrInputDocument();
        doc.addField(ID, collectionId(name));
        doc.addField(IndexFields.KIND, IndexFields.KIND_COLLECTION);
        doc.addField(IndexFields.COLLECTION_KEY, name);
        doc.addField(IndexFields.CREATED_AT, createdAtMillis);
        return doc;
    }

    private static List<Float> asList(float[] vector) {
        List<Float> list = new ArrayList<>(vector.length);
        for (float v : vector) {
            list.add(v);
        }
        return list;
    }

    static float[] vector(SolrDocument doc, String field) {
        Object value = doc.getFieldValue(field);
        if (value == null) {
            return null;
        }
        Collection<?> values = value instanceof Collection<?> c ? c : List.of(value);
        float[] vector = new float[values.size()];
        int i = 0;
        for (Object v : values) {
            vector[i++] = ((Number) v).floatValue();
        }
        return vector;
    }

    static DocumentRecord documentRecord(SolrDocument doc) {
        return new DocumentRecord(string(doc, IndexFields.DOC_ID), string(doc, IndexFields.COLLECTION),
                string(doc, IndexFields.FILE_NAME), string(doc, IndexFields.TITLE), string(doc, IndexFields.FORMAT),
                string(doc, IndexFields.SHA256), number(doc, IndexFields.SIZE_BYTES).longValue(),
                number(doc, IndexFields.CHAR_COUNT).intValue(), number(doc, IndexFields.CHUNK_COUNT).intValue(),
                number(doc, IndexFields.PAGE_COUNT).intValue(), string(doc, IndexFields.ORIGINAL_PATH),
                number(doc, IndexFields.INGESTED_AT).longValue());
    }

    static ChunkRecord chunk(SolrDocument doc) {
        return new ChunkRecord(number(doc, IndexFields.CHUNK_INDEX).intValue(),
                number(doc, IndexFields.START).intValue(), number(doc, IndexFields.END).intValue(),
                string(doc, IndexFields.TEXT), number(doc, IndexFields.PAGE).intValue(),
                string(doc, IndexFields.HEADING));
    }

    static IndexedChunk indexedChunk(SolrDocument doc) {
        return new IndexedChunk(string(doc, IndexFields.DOC_ID), string(doc, IndexFields.COLLECTION),
                string(doc, IndexFields.FILE_NAME), string(doc, IndexFields.TITLE), chunk(doc));
    }

    /** The stored fields a chunk hit needs (no vectors: they are fetched only when fusion needs one). */
    static final String CHUNK_FIELDS = String.join(",", ID, IndexFields.DOC_ID, IndexFields.COLLECTION,
            IndexFields.FILE_NAME, IndexFields.TITLE, IndexFields.CHUNK_INDEX, IndexFields.START, IndexFields.END,
            IndexFields.PAGE, IndexFields.HEADING, IndexFields.TEXT);

    static String string(SolrDocument doc, String field) {
        Object value = doc.getFirstValue(field);
        if (value == null) {
            return ""; // Solr does not keep empty strings of some field types; every string field defaults to ""
        }
        return value.toString();
    }

    private static Number number(SolrDocument doc, String field) {
        Object value = doc.getFirstValue(field);
        if (!(value instanceof Number n)) {
            throw new IllegalStateException("stored field " + field + " missing from Solr document "
                    + doc.getFirstValue(ID));
        }
        return n;
    }
}
