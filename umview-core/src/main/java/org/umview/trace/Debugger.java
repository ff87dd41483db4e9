package org.umview.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A process of the view that traces others of the view: the threads it traces and what its
 * wait calls are to report, in the order the kernel would have reported them.
 */
final class Debugger {
    /**
     * One thing a wait of the debugger reports: a stop (the bits above 0x7f) or an exit (a whole
     * wait status), of a process or of a thread (only waits with __WALL or __WCLONE see those).
     */
    record Report(int tid, int status, boolean exit, boolean thread) {
    }

    final int tgid;
    final Map<Integer, Debuggee> debuggees = new LinkedHashMap<>();
    final List<Report> reports = new ArrayList<>();
    /** Its threads that wait in wait4 or waitid with nothing to report yet, and how to wake each. */
    final Map<Integer, Runnable> parkedWaits = new LinkedHashMap<>();
    /** Counts what could end a wait (a report, a child's exit or stop): a wait asked the kernel at one count parks only if it is still that. */
    long changes;

    Debugger(int tgid) {
        this.tgid = tgid;
    }

    /** Whether a wait for {@code tid} (-1: any) could still be satisfied by a thread it traces. */
    boolean traces(long tid) {
        return tid == -1 || tid == 0 || tid < -1 ? !debuggees.isEmpty() : debuggees.containsKey((int) tid);
    }

    void forget(int tid) {
        reports.removeIf(r -> r.tid() == tid && !r.exit());
    }

    boolean idle() {
        return debuggees.isEmpty() && reports.isEmpty() && parkedWaits.isEmpty();
    }
}
