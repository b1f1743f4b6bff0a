package io.imageworker.tasks.faces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.imageworker.testing.Images;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** Letterboxing keeps the aspect ratio, and model coordinates map back to the photo. */
class LetterboxTest {

    static BufferedImage filled(int w, int h, Color c) {
        return Images.filled(w, h, c);
    }

    @Test
    void landscapePhotoIsPaddedAboveAndBelow() {
        Letterbox lb = Letterbox.whole(400, 200, 256);
        assertThat(lb.scale()).isEqualTo(0.64);
        assertThat(lb.padX()).isEqualTo(0);
        assertThat(lb.padY()).isEqualTo(64);
        BufferedImage out = lb.render(filled(400, 200, Color.RED));
        assertThat(out.getWidth()).isEqualTo(256);
        assertThat(out.getHeight()).isEqualTo(256);
        assertThat(out.getRGB(128, 10) & 0xffffff).isEqualTo(0x000000); // padding
        assertThat(out.getRGB(128, 62) & 0xffffff).isEqualTo(0x000000);
        assertThat(out.getRGB(128, 66) & 0xffffff).isEqualTo(0xff0000); // picture
        assertThat(out.getRGB(128, 189) & 0xffffff).isEqualTo(0xff0000);
        assertThat(out.getRGB(128, 194) & 0xffffff).isEqualTo(0x000000);
    }

    @Test
    void aSmallPictureCappedAtItsOwnSizeLiesInTheMiddleAndMapsBack() {
        Letterbox lb = Letterbox.whole(28, 20, 256, 1);
        assertThat(lb.scale()).isEqualTo(1);
        assertThat(lb.drawnWidth()).isEqualTo(28);
        assertThat(lb.drawnHeight()).isEqualTo(20);
        assertThat(lb.padX()).isEqualTo(114);
        assertThat(lb.padY()).isEqualTo(118);
        BufferedImage out = lb.render(filled(28, 20, Color.RED));
        assertThat(out.getRGB(113, 128) & 0xffffff).isEqualTo(0);
        assertThat(out.getRGB(114, 128) & 0xffffff).isEqualTo(0xff0000);
        assertThat(out.getRGB(141, 137) & 0xffffff).isEqualTo(0xff0000);
        assertThat(out.getRGB(142, 128) & 0xffffff).isEqualTo(0);
        assertThat(out.getRGB(128, 138) & 0xffffff).isEqualTo(0);
        assertThat(lb.imageX(114 / 256.0)).isCloseTo(0, within(1e-9));
        assertThat(lb.imageY(138 / 256.0)).isCloseTo(20, within(1e-9));
        // a cap larger than needed changes nothing; a cap below 1 is refused
        assertThat(Letterbox.whole(400, 200, 256, 1).scale()).isEqualTo(Letterbox.whole(400, 200, 256).scale());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Letterbox.whole(28, 28, 256, 0.5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void normalisedCoordinatesMapBackToPhotoPixels() {
        Letterbox lb = Letterbox.whole(400, 200, 256);
        assertThat(lb.imageX(0.5)).isCloseTo(200, within(1e-9));
        assertThat(lb.imageY(0.5)).isCloseTo(100, within(1e-9));
        assertThat(lb.imageY(64 / 256.0)).isCloseTo(0, within(1e-9)); // top of the picture
        assertThat(lb.imageY(1)).isCloseTo(300, within(1e-9)); // bottom of the padding: below the photo
        // portrait: padded left and right
        Letterbox p = Letterbox.whole(100, 400, 128);
        assertThat(p.padX()).isEqualTo(48);
        assertThat(p.imageX(48 / 128.0)).isCloseTo(0, within(1e-9));
        assertThat(p.imageX(80 / 128.0)).isCloseTo(100, within(1e-9));
    }

    @Test
    void mappingFollowsThePictureAsDrawnInWholePixels() {
        // 300x200 into 128: scale 0.4267, drawn 128x85 (85.33 rounded), padded 21 rows above (43 / 2)
        Letterbox lb = Letterbox.whole(300, 200, 128);
        assertThat(lb.drawnHeight()).isEqualTo(85);
        assertThat(lb.padY()).isEqualTo(21);
        assertThat(lb.imageY(21 / 128.0)).isCloseTo(0, within(1e-9));
        assertThat(lb.imageY(106 / 128.0)).isCloseTo(200, within(1e-9)); // last drawn row's far edge
        BufferedImage out = lb.render(filled(300, 200, Color.RED));
        assertThat(out.getRGB(64, 20) & 0xffffff).isEqualTo(0);
        assertThat(out.getRGB(64, 21) & 0xffffff).isEqualTo(0xff0000);
        assertThat(out.getRGB(64, 105) & 0xffffff).isEqualTo(0xff0000);
        assertThat(out.getRGB(64, 106) & 0xffffff).isEqualTo(0);
    }

    @Test
    void aTileMapsToItsPlaceInThePhoto() {
        Letterbox tile = new Letterbox(300, 100, 200, 200, 256);
        double[] kp = new double[12];
        kp[0] = 0.25;
        kp[1] = 0.75;
        FaceDetection d = tile.toImage(new FaceDetection(0.5, 0.5, 0.25, 0.125, kp, 0.9));
        assertThat(d.x()).isCloseTo(400, within(1e-9));
        assertThat(d.y()).isCloseTo(200, within(1e-9));
        assertThat(d.width()).isCloseTo(50, within(1e-9));
        assertThat(d.height()).isCloseTo(25, within(1e-9));
        assertThat(d.keypointX(0)).isCloseTo(350, within(1e-9));
        assertThat(d.keypointY(0)).isCloseTo(250, within(1e-9));
        assertThat(d.score()).isEqualTo(0.9);
    }

    @Test
    void aFeatureKeepsItsPlaceThroughRenderAndMapBack() {
        // a white square at (600..700, 150..250) of a 1000x400 photo: reduced 4x by halving, then bilinear
        BufferedImage photo = filled(1000, 400, Color.BLACK);
        Graphics2D g = photo.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(600, 150, 100, 100);
        g.dispose();
        Letterbox lb = Letterbox.whole(1000, 400, 256);
        BufferedImage out = lb.render(photo);
        int x0 = 256;
        int x1 = -1;
        int y0 = 256;
        int y1 = -1;
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                if ((out.getRGB(x, y) & 0xff) > 127) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x + 1);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y + 1);
                }
            }
        }
        assertThat(lb.imageX(x0 / 256.0)).isCloseTo(600, within(4.0));
        assertThat(lb.imageX(x1 / 256.0)).isCloseTo(700, within(4.0));
        assertThat(lb.imageY(y0 / 256.0)).isCloseTo(150, within(4.0));
        assertThat(lb.imageY(y1 / 256.0)).isCloseTo(250, within(4.0));
    }
}
