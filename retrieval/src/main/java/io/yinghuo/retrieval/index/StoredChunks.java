package io.yinghuo.retrieval.index;

import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexableField;

/** Reads records back from stored fields. */
final class StoredChunks {

    private StoredChunks() {
    }

    static ChunkRecord chunk(Document doc) {
        return new ChunkRecord(intValue(doc, IndexFields.CHUNK_INDEX), intValue(doc, IndexFields.START),
                intValue(doc, IndexFields.END), doc.get(IndexFields.TEXT), intValue(doc, IndexFields.PAGE),
                doc.get(IndexFields.HEADING));
    }

    static DocumentRecord documentRecord(Document doc) {
        return new DocumentRecord(doc.get(IndexFields.DOC_ID), doc.get(IndexFields.COLLECTION),
                doc.get(IndexFields.FILE_NAME), doc.get(IndexFields.TITLE), doc.get(IndexFields.FORMAT),
                doc.get(IndexFields.SHA256), longValue(doc, IndexFields.SIZE_BYTES),
                intValue(doc, IndexFields.CHAR_COUNT), intValue(doc, IndexFields.CHUNK_COUNT),
                intValue(doc, IndexFields.PAGE_COUNT), doc.get(IndexFields.ORIGINAL_PATH),
                longValue(doc, IndexFields.INGESTED_AT));
    }

    static int intValue(Document doc, String field) {
        IndexableField f = doc.getField(field);
        if (f == null || f.numericValue() == null) {
            throw new IllegalStateException("stored field " + field + " missing from an index document");
        }
        return f.numericValue().intValue();
    }

    static long longValue(Document doc, String field) {
        IndexableField f = doc.getField(field);
        if (f == null || f.numericValue() == null) {
            throw new IllegalStateException("stored field " + field + " missing from an index document");
        }
        return f.numericValue().longValue();
    }
}
