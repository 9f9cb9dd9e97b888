package io.yinghuo.ingest.ocr;

import java.util.List;

/**
 * What the engine read on one page image: its words in reading order.
 *
 * @param width the image's width in pixels (the unit of the words' boxes)
 * @param height the image's height in pixels
 */
public record RecognisedPage(int width, int height, List<RecognisedWord> words) {

    public RecognisedPage {
        words = List.copyOf(words);
    }

    /**
     * Tesseract's word confidence averaged over characters (a long word counts more than a one-character word),
     * 0 for a page without words: how well the language model fits the print.
     */
    public double meanConfidence() {
        double sum = 0;
        long characters = 0;
        for (RecognisedWord word : words) {
            int n = word.text().codePointCount(0, word.text().length());
            sum += (double) word.confidence() * n;
            characters += n;
        }
        return characters == 0 ? 0 : sum / characters;
    }
}
