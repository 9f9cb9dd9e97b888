package io.yinghuo.ingest.pipeline;

import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.index.DocumentRecord;

import java.util.Optional;

/**
 * The document id a file name gets in a collection: the id of the document that already has that name there, so
 * uploading it again replaces it; otherwise the name's derived id ({@link DocumentIds#forFile(String, String)}),
 * or, when a document moved there by a collection rename holds that id under another name, the next candidate.
 *
 * <p>Called under the pipeline's collection lock, so no rename changes the catalogue between the lookup and the
 * job's admission. Files admitted and not yet committed need no lookup: the same name in the same collection
 * derives the same id again.
 */
final class DocumentIdResolver {

    private final ChunkStore index;

    DocumentIdResolver(ChunkStore index) {
        this.index = index;
    }

    String resolve(String collection, String fileName) {
        Optional<DocumentRecord> existing = index.documentByName(collection, fileName);
        if (existing.isPresent()) {
            return existing.get().docId();
        }
        for (int attempt = 0; ; attempt++) {
            String candidate = DocumentIds.forFile(collection, fileName, attempt);
            Optional<DocumentRecord> holder = index.document(candidate);
            if (holder.isEmpty()) {
                return candidate;
            }
        }
    }
}
