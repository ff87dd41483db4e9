package org.umview.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a thread has a signal waiting that would interrupt a blocking call: pending for it
 * or its process, not blocked, and either caught or fatal by default. Job-control stops are
 * left out: they stop a process in its call without ending the call.
 */
public final class SignalState {
    private static final long JOB_CONTROL = bit(19) | bit(20) | bit(21) | bit(22);
    /** SIGCHLD, SIGCONT, SIGURG, SIGWINCH: ignored unless caught. */
    private static final long IGNORED_BY_DEFAULT = bit(17) | bit(18) | bit(23) | bit(28);

    private SignalState() {
    }

    public static boolean interrupting(int tid) {
        Masks masks = Masks.of(tid);
        return masks != null && masks.interrupting();
    }

    /**
     * Whether {@code signal}, just taken from thread {@code tid}'s pending ones, is one its
     * process ignores, with nothing else waiting that would interrupt it.
     */
    public static boolean ignoredAlone(int tid, int signal) {
        Masks masks = Masks.of(tid);
        long it = bit(signal);
        return masks != null && ((masks.ignored & it) != 0 || (IGNORED_BY_DEFAULT & ~masks.caught & it) != 0)
                && !masks.interrupting();
    }

    private record Masks(long pending, long blocked, long ignored, long caught) {
        static Masks of(int tid) {
            long pending = 0;
            long blocked = 0;
            long ignored = 0;
            long caught = 0;
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + tid + "/status"))) {
                    if (line.startsWith("SigPnd:") || line.startsWith("ShdPnd:")) {
                        pending |= mask(line);
                    } else if (line.startsWith("SigBlk:")) {
                        blocked = mask(line);
                    } else if (line.startsWith("SigIgn:")) {
                        ignored = mask(line);
                    } else if (line.startsWith("SigCgt:")) {
                        caught = mask(line);
                    }
                }
            } catch (IOException | NumberFormatException e) {
                return null; // gone: its exit is reported to the tracer
            }
            return new Masks(pending, blocked, ignored, caught);
        }

        boolean interrupting() {
            long deliverable = pending & ~blocked & ~ignored & ~JOB_CONTROL;
            return (deliverable & ~(IGNORED_BY_DEFAULT & ~caught)) != 0;
        }
    }

    private static long mask(String line) {
        return Long.parseUnsignedLong(line.substring(line.indexOf(':') + 1).strip(), 16);
    }

    private static long bit(int signal) {
        return 1L << (signal - 1);
    }
}
