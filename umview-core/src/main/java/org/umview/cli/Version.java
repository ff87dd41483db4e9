package org.umview.cli;

import picocli.CommandLine.IVersionProvider;

/** The version printed by {@code umview --version}, from the jar's manifest when built. */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Version.class.getPackage().getImplementationVersion();
        return new String[] {"umview " + (version != null ? version : "(development build)"),
            "Java " + System.getProperty("java.version") + ", " + System.getProperty("os.arch")};
    }
}
