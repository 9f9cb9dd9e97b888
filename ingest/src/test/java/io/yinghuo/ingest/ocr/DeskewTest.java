package io.yinghuo.ingest.ocr;

import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeskewTest {

    /** A page of "text lines": rows of dark blocks 30 px tall, 52 px apart, like 12 pt print at 200 dpi. */
    private static BufferedImage lines(double degrees) {
        return lines(degrees, 150, 2000, 130, 1450, 28);
    }

    private static BufferedImage lines(double degrees, int top, int bottom, int left, int right, int blockWidth) {
        BufferedImage page = new BufferedImage(1600, 2200, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = page.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, page.getWidth(), page.getHeight());
        g.setTransform(AffineTransform.getRotateInstance(Math.toRadians(degrees), page.getWidth() / 2.0,
                page.getHeight() / 2.0));
        g.setColor(Color.BLACK);
        for (int y = top; y < bottom; y += 52) {
            for (int x = left; x < right; x += 34) {
                if ((x * 7 + y * 3) % 11 != 0) { // gaps, as between words and at commas
                    g.fillRect(x, y, blockWidth, 30);
                }
            }
        }
        g.dispose();
        return page;
    }

    @Test
    void findsTheAngleATextPageWasTurnedBy() {
        for (double degrees : List.of(-3.0, -1.5, 0.7, 1.5, 4.0)) {
            assertEquals(degrees, Deskew.angle(lines(degrees)), 0.05, "turned by " + degrees);
        }
    }

    @Test
    void anUprightPageIsLeftUpright() {
        assertTrue(Math.abs(Deskew.angle(lines(0))) < Deskew.MIN_DEGREES);
    }

    @Test
    void blankAndDarkPagesHaveNoAngle() {
        BufferedImage blank = new BufferedImage(800, 800, BufferedImage.TYPE_BYTE_GRAY);
        assertEquals(0, Deskew.angle(blank)); // all black: "ink" everywhere
        Graphics2D g = blank.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 800, 800);
        g.dispose();
        assertEquals(0, Deskew.angle(blank));
        assertEquals(0, Deskew.angle(new BufferedImage(40, 40, BufferedImage.TYPE_BYTE_GRAY)));
    }

    @Test
    void straighteningLevelsTheLinesAndBoxesMapBackOntoTheTurnedPage() {
        BufferedImage turned = lines(2);
        BufferedImage straight = Deskew.straighten(turned, Deskew.angle(turned));
        assertEquals(0, Deskew.angle(straight), 0.05);
        // a word box on the straightened page, at the first block of the first line (x 130, y 150 before turning)
        RecognisedPage page = new RecognisedPage(turned.getWidth(), turned.getHeight(),
                List.of(new RecognisedWord(1, 1, 1, "字", 130, 150, 28, 30, 90)));
        RecognisedWord back = Deskew.unstraighten(page, 2).words().get(0);
        // where the block lies on the turned page: its centre turned by 2° about the page's centre
        double[] centre = {144, 165};
        AffineTransform.getRotateInstance(Math.toRadians(2), 800, 1100).transform(centre, 0, centre, 0, 1);
        assertEquals(centre[0], back.x() + back.width() / 2.0, 1.5);
        assertEquals(centre[1], back.y() + back.height() / 2.0, 1.5);
        assertEquals("字", back.text());
        assertTrue(turned.getRaster().getSample((int) centre[0], (int) centre[1], 0) < 64, "ink under the box");
    }

    @Test
    void otsuSplitsInkFromPaper() {
        long[] histogram = new long[256];
        histogram[20] = 100;
        histogram[30] = 100;
        histogram[230] = 1000;
        histogram[250] = 1000;
        int t = Deskew.otsu(histogram);
        assertTrue(t >= 30 && t < 230, "threshold " + t);
    }

    /** A scan cropped to the print: its lines run to every edge of the image. */
    @Test
    void findsTheAngleOfAPageWhosePrintRunsToItsEdges() {
        for (double degrees : List.of(-3.0, 2.0)) {
            assertEquals(degrees, Deskew.angle(lines(degrees, -200, 2400, -200, 1800, 16)), 0.05, "turned by " + degrees);
        }
    }

    @Test
    void theCornersTurnedIntoThePageArePaperWhite() {
        BufferedImage straight = Deskew.straighten(lines(3), 3);
        int last = straight.getWidth() - 1;
        int bottom = straight.getHeight() - 1;
        for (int[] corner : new int[][] {{0, 0}, {last, 0}, {0, bottom}, {last, bottom}}) {
            assertEquals(255, straight.getRaster().getSample(corner[0], corner[1], 0), corner[0] + "," + corner[1]);
        }
    }

    /** Faint print on grey paper (a photocopy): ink and paper only ten grey levels apart are still told apart. */
    @Test
    void otsuSplitsInkFromPaperThatAreCloseInGrey() {
        long[] histogram = new long[256];
        histogram[98] = 40;
        histogram[100] = 100;
        histogram[110] = 1000;
        histogram[112] = 300;
        int t = Deskew.otsu(histogram);
        assertTrue(t >= 100 && t < 110, "threshold " + t);
        long[] darkPage = new long[256];
        darkPage[60] = 1000;
        darkPage[70] = 100;
        darkPage[200] = 10;
        int dark = Deskew.otsu(darkPage);
        assertTrue(dark >= 70 && dark < 200, "threshold " + dark);
    }
}
