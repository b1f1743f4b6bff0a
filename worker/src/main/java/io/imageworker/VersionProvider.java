package io.imageworker;

import picocli.CommandLine.IVersionProvider;

/** Version from the jar manifest (Maven's project version), "dev" when run from classes. */
public class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"image-worker " + (v == null ? "dev" : v)};
    }
}
