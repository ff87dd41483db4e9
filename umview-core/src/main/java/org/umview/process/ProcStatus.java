package org.umview.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about a thread that only /proc can tell when its creation was not reported yet. */
public final class ProcStatus {
    private static final int NOBODY = 65534;

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

    /**
     * The file-system user and group ids and the supplementary groups of {@code tid}, as the
     * kernel checks permissions with them; nobody's (65534) if /proc no longer knows it.
     */
    public static org.umview.module.Caller caller(int tid, int pid) {
        int uid = NOBODY;
        int gid = NOBODY;
        int[] groups = new int[0];
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + tid + "/status"))) {
                if (line.startsWith("Uid:")) {
                    uid = Integer.parseInt(line.substring(4).strip().split("\\s+")[3]);
                } else if (line.startsWith("Gid:")) {
                    gid = Integer.parseInt(line.substring(4).strip().split("\\s+")[3]);
                } else if (line.startsWith("Groups:")) {
                    String list = line.substring(7).strip();
                    groups = list.isEmpty() ? new int[0] : java.util.Arrays.stream(list.split("\\s+")).mapToInt(Integer::parseInt).toArray();
                }
            }
        } catch (IOException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
            // gone
        }
        return new org.umview.module.Caller(uid, gid, groups, pid);
    }

    /**
     * The real, effective, saved and file-system ids of {@code tid} on its {@code Uid:} or
     * {@code Gid:} line; none if /proc no longer knows it.
     */
    public static int[] ids(int tid, String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + tid + "/status"))) {
                if (line.startsWith(name)) {
                    return java.util.Arrays.stream(line.substring(name.length()).strip().split("\\s+"))
                            .mapToInt(Integer::parseInt).toArray();
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone
        }
        return new int[0];
    }

    /** The effective capabilities of thread {@code tid} (CapEff), 0 if it is gone. */
    public static long effectiveCapabilities(int tid) {
        String value = text(tid, "CapEff:");
        try {
            return value == null ? 0 : Long.parseUnsignedLong(value, 16);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /* The first number after the name: Uid and Gid lines carry real, effective, saved and fs ids. */
    private static int field(int tid, String name, int otherwise) {
        String value = text(tid, name);
        try {
            return value == null ? otherwise : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /** The first word after {@code name} in /proc/TID/status, or null (gone: it can make no more calls that would need it). */
    private static String text(int tid, String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + tid + "/status"))) {
                if (line.startsWith(name)) {
                    return line.substring(name.length()).strip().split("\\s+")[0];
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }
}
