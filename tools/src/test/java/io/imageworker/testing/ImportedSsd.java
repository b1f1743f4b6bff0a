package io.imageworker.testing;

import io.imageworker.models.ModelCard;
import io.imageworker.models.ModelLoader;
import io.imageworker.training.tfjs.FaceApiTopology;
import io.imageworker.training.tfjs.TfjsImporter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * face-api's SSD-MobileNetV1 imported from its original files ({@code src/test/resources/tfjs/face-api-ssd},
 * as {@code faceapi.js extract} writes them) the way a user imports it, once per test JVM: it is not
 * shipped (22 MB of float32 parameters, over the repository's 20 MB per file).
 */
public final class ImportedSsd {

    /** The model's name. */
    public static final String NAME = FaceApiTopology.SSD_MOBILENET_V1;

    private static Path dir;

    private ImportedSsd() {}

    /** The original files. */
    public static Path source() throws Exception {
        return Repo.path("worker/src/test/resources/tfjs/face-api-ssd");
    }

    /** The imported model's version folder ({@code NAME/1}), imported on first use. */
    public static synchronized Path dir() throws Exception {
        if (dir == null) {
            Path out = Files.createTempDirectory("ssd-import");
            TfjsImporter.importModel(new TfjsImporter.Request(source(), out, "faces", NAME, "1",
                    FaceApiTopology.labels(NAME), null, null, false, NAME));
            dir = out.resolve(NAME).resolve("1");
        }
        return dir;
    }

    /** The imported model's card. */
    public static ModelCard card() throws Exception {
        return ModelLoader.readCard(dir());
    }
}
