package org.umview.launch;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where umview's own files are, as the launcher (bin/umview, or /usr/bin/umview when
 * installed) passes them: system properties {@code umview.shim} and {@code umview.tools}.
 */
public record Installation(Path shim, Path tools) {
    public static Installation fromSystemProperty() {
        String shim = System.getProperty("umview.shim");
        String tools = System.getProperty("umview.tools");
        if (shim == null || tools == null) {
            throw new IllegalStateException("umview.shim and umview.tools are not set: start umview with bin/umview");
        }
        return new Installation(Path.of(shim), Path.of(tools));
    }

    /** The directory of the in-view commands, put first on PATH inside every view. */
    @Override
    public Path tools() {
        return tools;
    }

    /** Checks that the files a view needs are there, naming the one that is not. */
    public void verify() {
        if (!Files.isExecutable(shim)) {
            throw new IllegalStateException(shim + " is missing or not executable: build umview (mvn package)");
        }
    }
}
