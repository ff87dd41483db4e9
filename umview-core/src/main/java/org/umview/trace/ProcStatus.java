package org.umview.trace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about a thread that only /proc can tell when its creation was not reported yet. */
final class ProcStatus {
    private ProcStatus() {
    }

    /** The thread group of {@code tid}; {@code tid} itself if /proc no longer knows it. */
    static int tgid(int tid) {
        return field(tid, "Tgid:", tid);
    }

    /** The parent process of {@code tid}; 0 if /proc no longer knows it. */
    static int parent(int tid) {
        return field(tid, "PPid:", 0);
    }

    private static int field(int tid, String name, int otherwise) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + tid + "/status"))) {
                if (line.startsWith(name)) {
                    return Integer.parseInt(line.substring(name.length()).strip());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone: it can make no more calls that would need it
        }
        return otherwise;
    }
}
