package io.yinghuo.retrieval.index;

/** Field names of the index (one place, so the writer, the searcher and the catalogue agree). */
public final class IndexFields {

    /** "chunk", "document" or "collection": the kinds of Lucene documents. */
    public static final String KIND = "kind";
    public static final String KIND_CHUNK = "chunk";
    public static final String KIND_DOCUMENT = "document";
    /** A registered collection (kept while it has no documents); see {@link #COLLECTION_KEY}. */
    public static final String KIND_COLLECTION = "collection";

    public static final String DOC_ID = "doc_id";
    public static final String COLLECTION = "collection";
    public static final String FILE_NAME = "file_name";
    public static final String TITLE = "title";

    // chunk fields
    public static final String CHUNK_INDEX = "chunk_index";
    public static final String START = "start";
    public static final String END = "end";
    public static final String PAGE = "page";
    public static final String HEADING = "heading";
    public static final String TEXT = "text";

    // searchable chunk fields (see IndexProfile)
    public static final String WORDS = "words";
    public static final String BIGRAMS = "bigrams";
    public static final String CJK = "cjk";

    /**
     * The {@code VectorSpace} label of the vectors a chunk carries and, on the catalogue entry, of all its
     * document's chunks; absent when the document has no vectors yet.
     */
    public static final String VECTOR_SPACE = "vector_space";

    // catalogue fields
    public static final String FORMAT = "format";
    public static final String SHA256 = "sha256";
    public static final String SIZE_BYTES = "size_bytes";
    public static final String CHAR_COUNT = "char_count";
    public static final String CHUNK_COUNT = "chunk_count";
    public static final String PAGE_COUNT = "page_count";
    public static final String ORIGINAL_PATH = "original_path";
    public static final String INGESTED_AT = "ingested_at";

    // registered collection fields: the name as the key only these entries have, so one term replaces or deletes one
    public static final String COLLECTION_KEY = "collection_key";
    public static final String CREATED_AT = "created_at";

    /** Commit user-data keys. */
    public static final String COMMIT_PROFILE = "yinghuo.profile";
    /** The {@code IndexSchema} label. */
    public static final String COMMIT_SCHEMA = "yinghuo.schema";

    private IndexFields() {
    }
}
