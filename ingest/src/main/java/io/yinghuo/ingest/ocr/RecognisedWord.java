package io.yinghuo.ingest.ocr;

/**
 * One word as the engine found it, with its box in the pixels of the image it was given (origin top left).
 * For Chinese a "word" is what Tesseract's line recogniser delimits: often one character, sometimes a run of them.
 *
 * @param block block number on the page (Tesseract's block_num)
 * @param paragraph paragraph number inside the block (par_num)
 * @param line line number inside the paragraph (line_num)
 * @param confidence 0–100, Tesseract's word confidence
 */
public record RecognisedWord(int block, int paragraph, int line, String text, int x, int y, int width, int height,
                             float confidence) {

    /** Whether this word is on the same printed line as {@code other}. */
    boolean sameLine(RecognisedWord other) {
        return block == other.block && paragraph == other.paragraph && line == other.line;
    }

    /** Whether this word is in the same paragraph as {@code other}. */
    boolean sameParagraph(RecognisedWord other) {
        return block == other.block && paragraph == other.paragraph;
    }
}
