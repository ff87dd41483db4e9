package org.umview.launch;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where umview's own files are. {@code bin/umview} passes the top directory as the system
 * property {@code umview.home}; the layout is that of a built source tree.
 */
public record Installation(Path home) {
    public static Installation fromSystemProperty() {
        String home = System.getProperty("umview.home");
        if (home == null) {
            throw new IllegalStateException("umview.home is not set: start umview with bin/umview");
        }
        return new Installation(Path.of(home).toAbsolutePath().normalize());
    }

    public Path shim() {
        return home.resolve("native-shim/target/umview-shim");
    }

    /** The directory of the in-view commands, put first on PATH inside every view. */
    public Path tools() {
        return home.resolve("um-tools/target/bin");
    }

    /** Checks that the files a view needs are there, naming the one that is not. */
    public void verify() {
        Path shim = shim();
        if (!Files.isExecutable(shim)) {
            throw new IllegalStateException(shim + " is missing or not executable: build umview (mvn package)");
        }
    }
}
