package org.umview.cli;

/** What {@code umview --version} prints: the version from the jar's manifest when built. */
final class Version {
    private Version() {
    }

    static String text() {
        String version = Version.class.getPackage().getImplementationVersion();
        return "umview " + (version != null ? version : "(development build)") + "\n"
                + "Java " + System.getProperty("java.version") + ", " + System.getProperty("os.arch") + "\n";
    }
}
