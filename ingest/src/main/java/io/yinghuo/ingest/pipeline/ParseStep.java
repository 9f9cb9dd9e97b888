package io.yinghuo.ingest.pipeline;

import io.yinghuo.ingest.parse.ParsedDocument;

/** Turns an uploaded file into text with pages and sections. A thrown exception's message is shown to the user. */
@FunctionalInterface
public interface ParseStep {

    ParsedDocument parse(String fileName, byte[] bytes) throws Exception;
}
