package io.yinghuo.ingest.chunk;

/**
 * One retrievable piece of a document: {@code text} is exactly {@code document.text().substring(start, end)}.
 *
 * @param index 0-based position of the chunk in its document
 * @param page page where the chunk starts (1 for documents without pages)
 * @param headingPath heading path where the chunk starts, "" when none
 * @param tokenCount tokens of {@code text} as the chunker counted them
 */
public record Chunk(int index, int start, int end, String text, int page, String headingPath, int tokenCount) {
}
