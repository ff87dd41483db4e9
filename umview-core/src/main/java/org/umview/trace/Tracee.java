package org.umview.trace;

/** One traced thread, as the tracer knows it between two of its stops. */
final class Tracee {
    final int tid;
    /** Seen in its parent's fork/vfork/clone event (or the view's first process). */
    boolean announced;
    /** The trace line of a call let through to the kernel, waiting for its result. */
    String callInFlight;

    Tracee(int tid) {
        this.tid = tid;
    }
}
