package org.umview.trace;

import org.umview.process.ProcStatus;
import java.util.function.LongConsumer;
import org.umview.process.ProcessState;

/** One traced thread, as the tracer knows it between two of its stops. */
final class Tracee {
    final int tid;
    /** Seen in its parent's fork/vfork/clone event (or the view's first process). */
    boolean announced;
    /** What to do at this thread's next syscall-exit stop, with the call's result. */
    LongConsumer atSyscallExit;
    /** A private page in the tracee's memory for rewritten arguments; 0 until one is needed. */
    long scratch;
    /** Mapping a scratch page failed: calls that need one get ENOMEM instead of a retry. */
    boolean scratchFailed;

    /** Descriptors and cwd as the supervisor tracks them; replaced when the creator's report arrives. */
    ProcessState process = new ProcessState();
    /** Traps added to the view since this thread's process got its filters; installed at its next stop. */
    org.umview.seccomp.TrapSet pendingTraps;

    /** {@code more} traps to install at the next stop, with those already waiting. */
    void pend(org.umview.seccomp.TrapSet more) {
        pendingTraps = pendingTraps == null ? more : new org.umview.seccomp.TrapSet().addAll(pendingTraps).addAll(more);
    }
    /** Resumed with PTRACE_SYSCALL from a stop outside a call: the next syscall stop is an entry. */
    boolean entryStopExpected;
    /**
     * Signals that arrived while an injected call was on its way in: a handler must not run on
     * the injected registers, so they are raised again once the tracee's own are back.
     */
    final java.util.List<Integer> deferredSignals = new java.util.ArrayList<>(0);
    /**
     * A rewrite that waits for the scratch page being mapped: carried out when the call comes
     * back, not decided again, since deciding may have had effects (a file opened in a module).
     */
    DeferredRewrite deferredRewrite;

    record DeferredRewrite(int number, long[] args, org.umview.dispatch.Verdict.Rewrite rewrite) {
        boolean sameCall(org.umview.syscall.SyscallRequest request) {
            return request.number() == number && java.util.Arrays.equals(request.args(), args);
        }

        /** The call it was for will not be made: what the rewrite prepared is let go. */
        void drop(int errno) {
            LateVerdict.drop(rewrite, errno);
        }
    }

    /** A call decided on a listener's thread whose verdict needs ptrace: carried out at this thread's coming stops. */
    NotifiedCalls.Handoff handoff;
    /** The next call this thread's listener gets from it is the one the tracer took over and rewrote: let it through. */
    boolean passNext;
    /** When the thread's rt_sigtimedwait is to time out (System.nanoTime), and whether it is being made again after a wake-up (SignalWaits). */
    long waitEnds;
    boolean waitRemade;
    /** A shim that was told to install its filter with a listener: it announces it on the control channel. */
    boolean listenerExpected;

    /** Traced by a debugger of the view (strace, gdb), or null. */
    Debuggee debuggee;
    /** The supervisor's injected call returned and this thread's own call is to be made again: its entry was seen already. */
    boolean remade;
    /** The coming syscall-exit stop is that of a call the supervisor injected, not of the thread's own. */
    boolean injected;
    /** A debugger's wait kept stopped at its exit until something is to be reported. */
    boolean parked;
    /** Its debugger went before the SIGSTOP it sent arrived: that stop is the debugger's, never delivered. */
    boolean swallowStop;
    /** Left in group-stop (PTRACE_LISTEN) at its last stop. */
    boolean inGroupStop;

    /** Its exit was reported: a verdict that comes later for it is dropped. */
    boolean gone;
    /** First seen stopped before its creator reported it: kept stopped until then. */
    boolean held;

    /** The thread group (process) id; 0 until known. */
    private int tgid;

    Tracee(int tid) {
        this.tid = tid;
    }

    void setTgid(int tgid) {
        this.tgid = tgid;
    }

    /** The process this thread belongs to; read from /proc for a thread seen before its creator's report. */
    int tgid() {
        if (tgid == 0) {
            tgid = ProcStatus.tgid(tid);
        }
        return tgid;
    }
}
