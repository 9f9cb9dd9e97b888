package io.yinghuo.ingest.pipeline;

import io.yinghuo.ingest.chunk.Chunk;
import io.yinghuo.ingest.parse.ParsedDocument;

import java.util.List;

/** Splits a parsed document into retrievable chunks. A thrown exception's message is shown to the user. */
@FunctionalInterface
public interface ChunkStep {

    List<Chunk> chunk(ParsedDocument document) throws Exception;
}
