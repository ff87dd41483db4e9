package org.umview.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about a thread that only /proc can tell when its creation was not reported yet. */
public final class ProcStatus {
    private ProcStatus() {
    }

    /** The thread group of {@code tid}; {@code tid} itself if /proc no longer knows it. */
    public static int tgid(int tid) {
        return field(tid, "Tgid:", tid);
    }

    /** The parent process of {@code tid}; 0 if /proc no longer knows it. */
    public static int parent(int tid) {
        return field(tid, "PPid:", 0);
    }

    /** The real user id of {@code tid}; -1 if /proc no longer knows it. */
    public static int uid(int tid) {
        return field(tid, "Uid:", -1);
    }

    /** The real group id of {@code tid}; -1 if /proc no longer knows it. */
    public static int gid(int tid) {
        return field(tid, "Gid:", -1);
    }

    /** The file mode creation mask of {@code tid}; 022 if /proc no longer knows it. */
    public static int umask(int tid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + tid + "/status"))) {
                if (line.startsWith("Umask:")) {
                    return Integer.parseInt(line.substring(6).strip(), 8);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone: the call it made is answered for nobody
        }
        return 022;
    }

    /* The first number after the name: Uid and Gid lines carry real, effective, saved and fs ids. */
    private static int field(int tid, String name, int otherwise) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + tid + "/status"))) {
                if (line.startsWith(name)) {
                    return Integer.parseInt(line.substring(name.length()).strip().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone: it can make no more calls that would need it
        }
        return otherwise;
    }
}
