package io.imageworker.training.checksums;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** SHA-256 of the data files a recipe read, recorded in the model card. */
public final class Checksums {

    private Checksums() {}

    /** File name to hex SHA-256, in the order given. */
    public static Map<String, String> of(Path... files) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (Path f : files) {
            out.put(f.getFileName().toString(), sha256(f));
        }
        return out;
    }

    /**
     * SHA-256 of the file's bytes (FIPS 180-4), as 64 lower-case hex digits; reads in 64 KiB
     * chunks.
     *
     * @throws IOException when the file cannot be read
     */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
