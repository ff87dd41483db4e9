package org.umview.trace;

import java.util.function.IntConsumer;

/**
 * A thread of the view that a debugger of the view traces (strace, gdb): what the debugger
 * asked (its options, how it resumed the thread) and the stop it was told of. The supervisor
 * stays the kernel's tracer; a stop meant for the debugger keeps the thread stopped until the
 * debugger resumes it.
 */
final class Debuggee {
    /** The stop a debugger of the view sees as its wait status, exactly as the kernel builds it. */
    static int stopStatus(int bits) {
        return (bits << 8) | 0x7f;
    }

    final int tid;
    final Debugger debugger;
    /** Attached with PTRACE_SEIZE (or made by a thread that was): group-stops and interrupts are PTRACE_EVENT_STOPs. */
    final boolean seized;
    /** The thread is its process's leader and that process is the debugger's own child: the kernel reports its exit. */
    final boolean realChild;
    long options;
    /** How the debugger last resumed it: PTRACE_CONT, PTRACE_SYSCALL or PTRACE_SINGLESTEP. */
    long mode = Ptrace.PTRACE_CONT;
    /** What the debugger was told it stopped with (the bits of the wait status above 0x7f); 0 while it runs. */
    int stop;
    /** PTRACE_GETEVENTMSG at that stop. */
    long eventMessage;
    /** What the supervisor does when the debugger resumes the thread from that stop, with the signal it gives. */
    IntConsumer resumption;
    /** A stop to tell the debugger of where the supervisor would next let the thread run (0: none). */
    int stopAtResume;
    long eventAtResume;
    /** The SIGSTOP of PTRACE_ATTACH (or of an auto-attached child's start) is on its way, its stop not seen yet. */
    boolean stopQueued;
    /** The debugger interrupted it (PTRACE_INTERRUPT) or let it listen (PTRACE_LISTEN): its next PTRACE_EVENT_STOP is the debugger's. */
    boolean interruptWanted;
    /**
     * The number of the call the supervisor answered itself at this stop (it set the number to
     * -1 so that the kernel skips it): the debugger sees the program's own number.
     */
    long answeredNumber = -1;

    Debuggee(int tid, Debugger debugger, boolean seized, boolean realChild, long options) {
        this.tid = tid;
        this.debugger = debugger;
        this.seized = seized;
        this.realChild = realChild;
        this.options = options;
    }

    boolean stopped() {
        return stop != 0;
    }

    boolean wants(long option) {
        return (options & option) != 0;
    }

    /** The bits a syscall-stop reports: SIGTRAP, with 0x80 if the debugger asked PTRACE_O_TRACESYSGOOD. */
    int syscallStop() {
        return WaitStatus.SIGTRAP | (wants(Ptrace.O_TRACESYSGOOD) ? 0x80 : 0);
    }
}
