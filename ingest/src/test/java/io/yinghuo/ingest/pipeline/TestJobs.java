package io.yinghuo.ingest.pipeline;

import io.yinghuo.retrieval.index.ChunkIndex;
import io.yinghuo.retrieval.index.ChunkRecord;
import io.yinghuo.retrieval.index.DocumentRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Jobs and committed documents for the tests of the pipeline's parts, which run without the whole pipeline. */
final class TestJobs {

    private TestJobs() {
    }

    /** A job for {@code fileName} with {@code text} as its content, hashed as a worker hashes it. */
    static IngestJob job(long id, String fileName, String text) {
        IngestSource source = IngestSource.of(fileName, text.getBytes(StandardCharsets.UTF_8));
        IngestJob job = new IngestJob(id, source, DocumentIds.forFile("", fileName), IngestListener.NONE);
        job.sha256 = DocumentIds.sha256(source.bytes());
        return job;
    }

    /** Commits the job's file to the index as a one-chunk document whose original is {@code originalPath}. */
    static DocumentRecord commit(ChunkIndex index, IngestJob job, String originalPath) throws IOException {
        String text = new String(job.source().bytes(), StandardCharsets.UTF_8);
        DocumentRecord record = new DocumentRecord(job.docId(), "", job.source().fileName(), "标题", "text",
                job.sha256, job.source().bytes().length, text.length(), 1, 1, originalPath, 0);
        index.stageReplace(record, List.of(new ChunkRecord(0, 0, text.length(), text, 1, "")));
        index.commit();
        return record;
    }
}
