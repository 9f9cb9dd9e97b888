package io.yinghuo.ingest.ocr;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Page images are recognised at {@link RecognitionResolution#DPI} at most, and their boxes come back in the original. */
class RecognitionResolutionTest {

    @Test
    void onlyImagesOfKnownResolutionAboveTheTargetAreScaledDown() {
        assertEquals(200, RecognitionResolution.DPI, "the default, without yinghuo.ocr.dpi");
        assertEquals(2 / 3.0, RecognitionResolution.factor(300), 1e-9);
        assertEquals(0.5, RecognitionResolution.factor(400), 1e-9);
        assertEquals(1, RecognitionResolution.factor(200), "at the target");
        assertEquals(1, RecognitionResolution.factor(150), "lower: as it is");
        assertEquals(1, RecognitionResolution.factor(0), "unknown");
    }

    @Test
    void aScaledImageIsGreyAndRoundedToWholePixelsOfAtLeastOne() {
        BufferedImage page = new BufferedImage(301, 10, BufferedImage.TYPE_INT_RGB);
        BufferedImage scaled = RecognitionResolution.scale(page, 2 / 3.0);
        assertEquals(201, scaled.getWidth(), "200.67 rounds up");
        assertEquals(7, scaled.getHeight(), "6.67 rounds up");
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, scaled.getType());
        BufferedImage sliver = RecognitionResolution.scale(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB), 0.1);
        assertEquals(1, sliver.getWidth());
        assertEquals(1, sliver.getHeight());
    }

    @Test
    void wordBoxesFoundOnTheScaledImageAreGivenInTheOriginalsPixels() {
        RecognisedPage scaled = new RecognisedPage(200, 300, List.of(
                new RecognisedWord(2, 3, 4, "萤火", 10, 21, 40, 13, 88.5f)));
        RecognisedPage original = RecognitionResolution.inOriginalPixels(scaled, 2 / 3.0, 300, 450);
        assertEquals(300, original.width());
        assertEquals(450, original.height());
        assertEquals(List.of(new RecognisedWord(2, 3, 4, "萤火", 15, 32, 60, 20, 88.5f)), original.words());
    }
}
