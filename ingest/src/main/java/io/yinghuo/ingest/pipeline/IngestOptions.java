package io.yinghuo.ingest.pipeline;

import io.yinghuo.ingest.chunk.ChineseChunker;
import io.yinghuo.ingest.parse.DocumentParsers;
import io.yinghuo.retrieval.index.IndexProfile;

import java.util.Objects;

/**
 * How a pipeline parses, chunks and indexes.
 *
 * @param parser file to text
 * @param chunker text to chunks
 * @param profile the index profile (fields and analyzers): open the index with it; {@link IngestPipeline#open}
 *                checks that the index has it
 * @param workers threads that parse, chunk and analyze in parallel
 * @param maxQueued how many submitted files may wait before {@link IngestPipeline#submit} blocks (bounds memory)
 * @param listener receives every stage change
 * @param commitWindowMillis while other files are in progress, how long a staged file may wait to share a commit
 *                           with them (group commit); a lone file is committed at once
 */
public record IngestOptions(ParseStep parser, ChunkStep chunker, IndexProfile profile, int workers, int maxQueued,
                            IngestListener listener, long commitWindowMillis) {

    public IngestOptions {
        Objects.requireNonNull(parser, "parser");
        Objects.requireNonNull(chunker, "chunker");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(listener, "listener");
        if (commitWindowMillis < 0) {
            throw new IllegalArgumentException("commitWindowMillis must be >= 0");
        }
        if (workers < 1 || maxQueued < 1) {
            throw new IllegalArgumentException("workers and maxQueued must be at least 1");
        }
    }

    /**
     * The real steps: {@link DocumentParsers#withDefaults()} (txt, md, html, pdf, docx, xlsx, pptx, csv, json, and images
     * through OCR) and
     * the {@link ChineseChunker} with its default sizes; otherwise as {@link #of}.
     */
    public static IngestOptions defaults() {
        DocumentParsers parsers = DocumentParsers.withDefaults();
        ChineseChunker chunker = new ChineseChunker();
        ParseStep parse = new ParseStep() {
            @Override
            public io.yinghuo.ingest.parse.ParsedDocument parse(String fileName, byte[] bytes) throws Exception {
                return parsers.parse(fileName, bytes);
            }

            @Override
            public io.yinghuo.ingest.parse.ParsedDocument parse(String fileName, byte[] bytes,
                                                                 io.yinghuo.ingest.parse.OcrProgress progress)
                    throws Exception {
                return parsers.parse(fileName, bytes, progress);
            }
        };
        return of(parse, chunker::chunk);
    }

    /** The given steps, the retrieval profile, one worker per core, 64 queued files, no listener, 250 ms window. */
    public static IngestOptions of(ParseStep parser, ChunkStep chunker) {
        return new IngestOptions(parser, chunker, IndexProfile.CHINESE_HYBRID,
                Math.max(1, Runtime.getRuntime().availableProcessors()), 64, IngestListener.NONE, 250);
    }

    public IngestOptions withProfile(IndexProfile value) {
        return new IngestOptions(parser, chunker, value, workers, maxQueued, listener, commitWindowMillis);
    }

    public IngestOptions withWorkers(int value) {
        return new IngestOptions(parser, chunker, profile, value, maxQueued, listener, commitWindowMillis);
    }

    public IngestOptions withListener(IngestListener value) {
        return new IngestOptions(parser, chunker, profile, workers, maxQueued, value, commitWindowMillis);
    }

    public IngestOptions withCommitWindowMillis(long value) {
        return new IngestOptions(parser, chunker, profile, workers, maxQueued, listener, value);
    }

    public IngestOptions withMaxQueued(int value) {
        return new IngestOptions(parser, chunker, profile, workers, value, listener, commitWindowMillis);
    }
}
