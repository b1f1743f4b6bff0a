package io.imageworker.testing;

import io.imageworker.training.peers.HaarCascade;
import io.imageworker.training.peers.Tesseract;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The peers the evaluations are measured against (Tesseract, OpenCV's Haar cascade), as the tools
 * run them; like {@link SystemDeps}, a test that needs one is skipped with its reason and the
 * install command where the machine lacks it.
 */
public final class Peers {

    private Peers() {}

    /**
     * Tesseract with English ({@link Tesseract#defaults()}: {@code tesseract} from the PATH); the
     * calling test is skipped when it does not run or lacks {@code eng}.
     *
     * @return the peer, ready to read
     */
    public static Tesseract tesseract() {
        Tesseract t = Tesseract.defaults();
        Assumptions.assumeTrue(t.available(), "tesseract with eng is not installed (apt-get install tesseract-ocr tesseract-ocr-eng)");
        return t;
    }

    /**
     * OpenCV's Haar cascade ({@link HaarCascade#defaults(Path)}: Debian's {@code /usr/bin/python3}
     * with {@code cv2} and the frontal face cascade of {@code opencv-data}); the calling test is skipped
     * when either is missing.
     *
     * @param repositoryRoot where {@code deploy/peers/haar_faces.py} is found
     * @return the peer, ready to detect
     */
    public static HaarCascade haarCascade(Path repositoryRoot) {
        HaarCascade haar = HaarCascade.defaults(repositoryRoot);
        Assumptions.assumeTrue(haar.available(),
                "OpenCV's Haar cascade is not installed (apt-get install python3-opencv opencv-data): not run");
        return haar;
    }

}
