package org.umview.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What /proc/TID/fdinfo/FD says of a thread's descriptor. */
public final class FdInfo {
    private FdInfo() {
    }

    /** The value of field {@code name} ("pos", "flags", "Pid"...), or null where the descriptor or the field is not. */
    public static String field(int tid, int fd, String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + tid + "/fdinfo/" + fd))) {
                if (line.startsWith(name + ":")) {
                    return line.substring(name.length() + 1).strip();
                }
            }
        } catch (IOException e) {
            // not open (or gone meanwhile)
        }
        return null;
    }

    /** The descriptor's status flags (O_NONBLOCK, O_APPEND...); -1 if it is not open. */
    public static int flags(int tid, int fd) {
        return number(tid, fd, "flags", 8);
    }

    /** Field {@code name} read as a number in {@code radix}; -1 where it is not, or is no number. */
    public static int number(int tid, int fd, String name, int radix) {
        String value = field(tid, fd, name);
        try {
            return value == null ? -1 : Integer.parseInt(value, radix);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
