package io.yinghuo.web.documents;

import io.yinghuo.ingest.parse.ParsedDocument.OcrPage;
import io.yinghuo.ingest.parse.ParsedDocument.WordBox;
import io.yinghuo.ingest.pipeline.WordBoxStore;
import io.yinghuo.retrieval.index.DocumentRecord;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The word boxes ingestion keeps for scanned pages ({@link WordBoxStore}), for the viewer.
 *
 * <p>Why a cache: a document's boxes are one compressed file (all its pages), and the viewer asks for them a page
 * at a time as the reader turns pages, besides every {@code /text} call asking which pages have any. The last few
 * documents' pages are kept, keyed by document id and content hash, so a new version of a document is never
 * answered from the old one's entry, and a document without boxes costs one failed file open, once.
 */
public final class StoredPageBoxes implements PageBoxes {

    /** Documents kept; a 300-page scan's boxes take a few megabytes. */
    private static final int CACHED_DOCUMENTS = 4;

    private final WordBoxStore store;
    private final Map<String, Map<Integer, Page>> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<Integer, Page>> eldest) {
            return size() > CACHED_DOCUMENTS;
        }
    };

    public StoredPageBoxes(WordBoxStore store) {
        this.store = store;
    }

    @Override
    public Optional<Page> page(DocumentRecord document, int page) throws IOException {
        return Optional.ofNullable(pagesOf(document).get(page));
    }

    @Override
    public List<Integer> pages(DocumentRecord document) throws IOException {
        return List.copyOf(pagesOf(document).keySet());
    }

    private Map<Integer, Page> pagesOf(DocumentRecord document) throws IOException {
        String key = document.docId() + "." + document.sha256();
        synchronized (cache) {
            Map<Integer, Page> cached = cache.get(key);
            if (cached != null) {
                return cached;
            }
        }
        // Read outside the lock: a large file must not hold up requests for other documents.
        Map<Integer, Page> pages = new LinkedHashMap<>();
        for (OcrPage ocr : store.read(document.docId(), document.sha256()).orElse(List.of())) {
            pages.put(ocr.page(), new Page(ocr.page(), ocr.width(), ocr.height(), ocr.unit(),
                    ocr.words().stream().map(StoredPageBoxes::word).toList()));
        }
        Map<Integer, Page> read = java.util.Collections.unmodifiableMap(pages);
        synchronized (cache) {
            cache.put(key, read);
        }
        return read;
    }

    private static Word word(WordBox box) {
        return new Word(box.start(), box.end(), box.x(), box.y(), box.width(), box.height());
    }
}
