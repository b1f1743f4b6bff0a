package io.imageworker.training.peers;

import io.imageworker.testing.Repo;
import io.imageworker.testing.Peers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.imageworker.testing.SystemDeps;
import io.imageworker.training.metrics.Region;
import io.imageworker.training.metrics.TextAccuracy;
import io.imageworker.training.metrics.TextSet;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Tesseract's TSV becomes lines; on a clean image of the set it reads the labelled line where it is. */
class TesseractTest {

    /** A shortened real TSV (tesseract 5.3.0): one line of two words plus a blank word, then an empty block. */
    static final String TSV = String.join("\n",
            "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext",
            "1\t1\t0\t0\t0\t0\t0\t0\t713\t408\t-1\t",
            "2\t1\t1\t0\t0\t0\t211\t24\t432\t46\t-1\t",
            "3\t1\t1\t1\t0\t0\t211\t24\t432\t52\t-1\t",
            "4\t1\t1\t1\t1\t0\t211\t24\t432\t46\t-1\t",
            "5\t1\t1\t1\t1\t1\t278\t33\t171\t37\t96.0\tDelivery",
            "5\t1\t1\t1\t1\t2\t474\t34\t60\t29\t90.0\tand",
            "5\t1\t1\t1\t1\t3\t211\t24\t42\t52\t0.0\t ",
            "2\t1\t2\t0\t0\t0\t0\t84\t713\t324\t-1\t",
            "4\t1\t2\t1\t1\t0\t0\t84\t713\t324\t-1\t",
            "5\t1\t2\t1\t1\t1\t0\t84\t713\t324\t95.0\t ",
            "");

    @Test
    void tsvRowsBecomeLinesWithBoxesAndMeanConfidence() {
        Tesseract.Page page = Tesseract.parseTsv(TSV);
        assertThat(page.lines()).hasSize(1);
        Tesseract.Line l = page.lines().get(0);
        assertThat(l.text()).isEqualTo("Delivery and");
        assertThat(l.box()).isEqualTo(Region.box(211, 24, 432, 46));
        assertThat(l.confidence()).isCloseTo(0.93, within(1e-12));
        assertThat(page.text()).isEqualTo("Delivery and");
    }

    @Test
    void readsACleanImageOfTheSet() throws Exception {
        Tesseract t = Peers.tesseract();
        TextSet set = TextSet.read(Repo.path("datasets/src/main/resources/datasets/text"));
        TextSet.Image im = set.images().get(0);
        assertThat(im.clean()).isTrue();
        Tesseract.Page page = t.read(Repo.path("datasets/src/main/resources/datasets/text/images", im.file()));
        assertThat(page.lines()).hasSameSizeAs(im.lines());
        assertThat(new TextAccuracy().add(im.text(), page.text()).characterErrorRate()).isLessThanOrEqualTo(0.05);
        for (int i = 0; i < im.lines().size(); i++) {
            assertThat(page.lines().get(i).box().boundsIou(im.lines().get(i).region())).isGreaterThanOrEqualTo(0.5);
            assertThat(page.lines().get(i).confidence()).isBetween(0.5, 1.0);
        }
    }
}
