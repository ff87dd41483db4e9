package org.umview.dispatch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.umview.memory.TraceeMemory;
import org.umview.module.Timestamp;
import org.umview.syscall.SyscallRequest;

/** The times argument of utime, utimes, futimesat and utimensat, read from the tracee. */
final class TimeArguments {
    private TimeArguments() {
    }

    private static final long UTIME_NOW = (1L << 30) - 1;
    private static final long UTIME_OMIT = (1L << 30) - 2;

    /** Whether {@code times} set a time other than now (only the owner may), not just "now" and "as it is". */
    static boolean explicit(Timestamp[] times) {
        for (Timestamp time : times) {
            if (time != null && !time.now()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The access and modification times a utime-family call asks for: a NULL times pointer
     * means now; utime gives seconds, utimes and futimesat timevals, utimensat timespecs.
     */
    static Timestamp[] of(TraceeMemory memory, SyscallRequest request) {
        String name = request.call().name();
        int index = switch (name) {
            case "utime", "utimes" -> 1;
            default -> 2;
        };
        long pointer = request.arg(index);
        if (pointer == 0) {
            return new Timestamp[] {Timestamp.NOW, Timestamp.NOW};
        }
        ByteBuffer raw = ByteBuffer.wrap(memory.read(request.tid(), pointer, name.equals("utime") ? 16 : 32))
                .order(ByteOrder.LITTLE_ENDIAN);
        Timestamp[] times = new Timestamp[2];
        for (int i = 0; i < 2; i++) {
            if (name.equals("utime")) {
                times[i] = Timestamp.of(raw.getLong(8 * i), 0);
                continue;
            }
            long seconds = raw.getLong(16 * i);
            long fraction = raw.getLong(16 * i + 8);
            if (name.equals("utimensat")) {
                times[i] = fraction == UTIME_OMIT ? null : fraction == UTIME_NOW ? Timestamp.NOW : Timestamp.of(seconds, (int) fraction);
            } else {
                times[i] = Timestamp.of(seconds, (int) (fraction * 1000));
            }
        }
        return times;
    }

}
