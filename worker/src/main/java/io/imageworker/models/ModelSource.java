package io.imageworker.models;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** One place models come from: a folder, the application itself, or a prefix in object storage. */
public interface ModelSource {

    /** A model version a source holds. */
    record Version(String name, String version) {}

    /** Where this source reads from, for messages. */
    String location();

    /** Every model version it holds. */
    List<Version> versions() throws IOException;

    /** A local folder holding {@code name/version}'s files (unpacked or downloaded if need be). */
    Path fetch(String name, String version) throws IOException;

    /**
     * Forgets a local copy made by {@link #fetch} (a download), so that the next fetch reads the
     * source again: called when a version was refused, in case its files were still being written.
     * Sources read in place keep nothing to forget.
     */
    default void evict(String name, String version) throws IOException {}
}
