package io.yinghuo.ingest.pipeline;

import io.yinghuo.ingest.parse.ParsedDocument;
import io.yinghuo.retrieval.index.ChunkStore;
import io.yinghuo.retrieval.index.ChunkRecord;

import java.util.List;

/**
 * What a worker thread does with one file: hash, dedup, parse, chunk, store the original (and the OCR word boxes of
 * a scan), stage the document in the index, and hand it to the {@link GroupCommitter}.
 *
 * <p>Why a class of its own: this is the part that runs on many threads at once (Lucene analysis runs in
 * {@link ChunkStore#stageReplace}, on the calling thread) and that may fail at any step; wherever it fails, the
 * file ends {@link IngestStage#FAILED} with a reason, its content reservation is released, and an original or word
 * boxes saved for it but never staged are removed, so a failed file leaves nothing behind.
 */
final class FileStager {

    private final ParseStep parser;
    private final ChunkStep chunker;
    private final ChunkStore index;
    private final ContentReservations reservations;
    private final OriginalsBookkeeping originals;
    private final WordBoxBookkeeping wordBoxes;
    private final GroupCommitter committer;

    FileStager(IngestOptions options, ChunkStore index, ContentReservations reservations,
               OriginalsBookkeeping originals, WordBoxBookkeeping wordBoxes, GroupCommitter committer) {
        this.parser = options.parser();
        this.chunker = options.chunker();
        this.index = index;
        this.reservations = reservations;
        this.originals = originals;
        this.wordBoxes = wordBoxes;
        this.committer = committer;
    }

    /** Takes the job to INDEXING and hands it to the committer, or finishes it (unchanged, duplicate, failed). */
    void stage(IngestJob job) {
        boolean reserved = false;
        String unstagedOriginal = null;
        boolean unstagedWordBoxes = false;
        try {
            job.moveTo(IngestStage.PARSING);
            job.sha256 = DocumentIds.sha256(job.source().bytes());
            if (!reservations.reserve(job)) {
                return;
            }
            reserved = true;
            ParsedDocument parsed = parse(job);
            job.counts(parsed.text().length(), 0);
            job.warnings(parsed.warnings());
            job.moveTo(IngestStage.CHUNKING);
            List<ChunkRecord> chunks = IndexRecords.chunks(parsed, chunker.chunk(parsed));
            job.counts(parsed.text().length(), chunks.size());
            job.moveTo(IngestStage.INDEXING);
            unstagedOriginal = originals.saveBeforeStaging(job);
            unstagedWordBoxes = wordBoxes.saveBeforeStaging(job, parsed);
            job.record = IndexRecords.document(job, parsed, chunks.size(), unstagedOriginal);
            index.stageReplace(job.record, chunks);
            unstagedOriginal = null; // a commit may now publish them
            unstagedWordBoxes = false;
            committer.handOver(job);
            reserved = false; // the committer releases it
        } catch (Throwable e) {
            originals.discardUnstaged(unstagedOriginal);
            if (unstagedWordBoxes) {
                wordBoxes.discardUnstaged(job);
            }
            job.finish(IngestOutcome.FAILED, FailureReasons.describe(e), FailureReasons.code(e),
                    java.util.List.of(FailureReasons.describe(e)), FailureReasons.retryable(e));
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        } finally {
            if (reserved) {
                reservations.release(job);
            }
        }
    }

    private ParsedDocument parse(IngestJob job) throws Exception {
        ParsedDocument parsed = parser.parse(job.source().fileName(), job.source().bytes(),
                (done, total, characters) -> job.recognising(done, total, characters));
        if (parsed == null || parsed.text() == null) {
            throw new IllegalStateException("the parser returned no document");
        }
        if (parsed.text().isBlank()) {
            throw new IllegalArgumentException("no text found in the file");
        }
        return parsed;
    }
}
