import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Writes a base image with one empty layer (docker-archive tar), for checking the worker image's
 * layout where no registry can be reached. It carries no JRE: an image built on it does not run.
 * Usage: java EmptyBase.java OUT.tar (prints the absolute path).
 */
public class EmptyBase {

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]).toAbsolutePath();
        byte[] layer = tar(new String[0], new byte[0][]);
        String diffId = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(layer));
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"PATH=/usr/bin:/bin\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]}}").getBytes(StandardCharsets.UTF_8);
        byte[] manifest = "[{\"Config\":\"config.json\",\"RepoTags\":[\"empty-base:latest\"],\"Layers\":[\"layer.tar\"]}]"
                .getBytes(StandardCharsets.UTF_8);
        Files.write(out, tar(new String[] {"config.json", "layer.tar", "manifest.json"}, new byte[][] {config, layer, manifest}));
        System.out.println(out);
    }

    /** A POSIX tar of regular files. */
    static byte[] tar(String[] names, byte[][] bodies) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < names.length; i++) {
            byte[] h = new byte[512];
            put(h, 0, names[i]);
            put(h, 100, "0000644");
            put(h, 108, "0000000");
            put(h, 116, "0000000");
            put(h, 124, String.format("%011o", bodies[i].length));
            put(h, 136, "00000000000");
            java.util.Arrays.fill(h, 148, 156, (byte) ' ');
            h[156] = '0';
            put(h, 257, "ustar");
            put(h, 263, "00");
            int sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            put(h, 148, String.format("%06o", sum));
            h[154] = 0;
            out.write(h);
            out.write(bodies[i]);
            out.write(new byte[(512 - bodies[i].length % 512) % 512]);
        }
        out.write(new byte[1024]);
        return out.toByteArray();
    }

    static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }

}
