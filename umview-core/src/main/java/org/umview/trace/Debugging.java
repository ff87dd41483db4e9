package org.umview.trace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import jnr.ffi.Pointer;
import org.umview.libc.Native;

/**
 * ptrace for the programs of a view: a process of the view may trace another (strace, gdb),
 * while the supervisor stays the kernel's only tracer of both. Each stop of a debugged thread
 * that its debugger would see is kept (the thread stays in its ptrace stop) and reported to
 * the debugger's wait calls, with SIGCHLD, as the kernel would report it; the debugger's
 * requests on a stopped thread are made by the supervisor on its behalf ({@link PtraceCalls}),
 * and its wait4/waitid are answered from these reports and its real children
 * ({@link DebuggerWaits}).
 *
 * <p>The supervisor's own work at a stop (a call it answers or rewrites, traps it installs,
 * calls it injects) happens first, unseen: a stop is reported when the supervisor would let the
 * thread run, so the debugger sees the program's calls as the program made them, with the
 * results the view gave. Owned by the tracer thread.
 */
final class Debugging {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Debugging.class);
    static final int EVENT_STOP_BITS = WaitStatus.SIGTRAP | (WaitStatus.EVENT_STOP << 8);
    /* struct ptrace_syscall_info's op: at a call's entry, at its exit. */
    private static final int OP_ENTRY = 1;
    private static final int OP_EXIT = 2;
    private static final long EVENT_OPTIONS = Ptrace.O_TRACEEXIT | Ptrace.O_TRACEVFORKDONE;

    /** What the debugging of the view needs of the tracer. */
    interface Host {
        /** The thread of the view {@code tid}, or null if it is not one. */
        Tracee tracee(int tid);

        /** Lets a thread go on from a stop as the supervisor would (traps waiting to go in first). */
        void goOn(Tracee tracee);

        /** Traps wait4 and waitid in {@code tgid}'s threads from their next stops on. */
        void trapWaits(int tgid);

        /** Registers (or, with null, removes) what a signal to {@code tid} must do while it waits (see the signal watcher). */
        void waiting(int tid, Runnable interrupt);

        /** Runs {@code work} on the tracer thread. */
        void post(Runnable work);
    }

    private final Ptrace ptrace;
    private final Host host;
    private final Map<Integer, Debugger> debuggers = new HashMap<>();
    private final Pointer info = Native.allocate(88);

    Debugging(Ptrace ptrace, Host host) {
        this.ptrace = ptrace;
        this.host = host;
    }

    /** The debugger process {@code tgid}, or null if it traces nothing and has nothing to report. */
    Debugger debugger(int tgid) {
        return debuggers.get(tgid);
    }

    /** Makes {@code target} a thread {@code tgid} traces; its wait calls are trapped from now on. */
    Debuggee attach(Tracee target, int tgid, boolean seized, long options) {
        Debugger debugger = debuggers.computeIfAbsent(tgid, id -> {
            host.trapWaits(id);
            return new Debugger(id);
        });
        boolean realChild = target.tid == target.tgid() && org.umview.process.ProcStatus.parent(target.tid) == tgid;
        Debuggee debuggee = new Debuggee(target.tid, debugger, seized, realChild, options);
        debugger.debuggees.put(target.tid, debuggee);
        target.debuggee = debuggee;
        return debuggee;
    }

    /** Ends the tracing of {@code tracee}; it goes on, with {@code signal}, if it was stopped for its debugger. */
    void detach(Tracee tracee, int signal) {
        Debuggee debuggee = tracee.debuggee;
        tracee.debuggee = null;
        tracee.swallowStop = debuggee.stopQueued;
        debuggee.debugger.debuggees.remove(tracee.tid);
        debuggee.debugger.forget(tracee.tid);
        if (debuggee.stopped()) {
            if ((debuggee.options & EVENT_OPTIONS) != 0) {
                ptrace.setOptions(tracee.tid, 0);
            }
            debuggee.stop = 0;
            debuggee.mode = Ptrace.PTRACE_CONT;
            debuggee.resumption.accept(signal);
        }
        dropIfIdle(debuggee.debugger);
    }

    /** Resumes a thread stopped for its debugger, as the debugger asked ({@code mode}: PTRACE_CONT, _SYSCALL, _SINGLESTEP). */
    void resumeFromStop(Debuggee debuggee, long mode, int signal) {
        debuggee.mode = mode;
        debuggee.stop = 0;
        debuggee.answeredNumber = -1;
        debuggee.debugger.forget(debuggee.tid);
        IntConsumer resumption = debuggee.resumption;
        debuggee.resumption = null;
        resumption.accept(signal);
        Tracee tracee = host.tracee(debuggee.tid);
        if (tracee != null && tracee.pendingTraps != null) {
            // The stop it was kept at took the supervisor's interrupt (any trap clears a pending one): asked again.
            ptrace.interrupt(tracee.tid);
        }
    }

    /** Whether {@code tracee} is at a syscall-exit stop (not an entry). */
    boolean atCallExit(Tracee tracee) {
        ptrace.syscallInfo(tracee.tid, info, 88);
        return info.getByte(0) == OP_EXIT;
    }

    /** A signal-delivery-stop: true if the debugger takes it (it decides which signal is delivered). */
    boolean signalStop(Tracee tracee, int signal) {
        if (signal == WaitStatus.SIGSTOP && tracee.swallowStop) {
            tracee.swallowStop = false;
            ptrace.cont(tracee.tid, 0);
            return true;
        }
        if (tracee.debuggee == null) {
            return false;
        }
        if (signal == WaitStatus.SIGSTOP) {
            tracee.debuggee.stopQueued = false;
        }
        hold(tracee, signal, 0);
        return true;
    }

    /** A SIGSTOP sent to {@code debuggee} for its debugger (attach, a child's first stop). */
    void stopSent(Tracee tracee) {
        tracee.debuggee.stopQueued = true;
        Native.libc().tgkill(tracee.tgid(), tracee.tid, WaitStatus.SIGSTOP);
    }

    /** A group-stop (a stop signal took effect): true if the debugger takes it. */
    boolean groupStop(Tracee tracee, int signal) {
        Debuggee debuggee = tracee.debuggee;
        if (debuggee == null) {
            return false;
        }
        hold(tracee, debuggee.seized ? signal | (WaitStatus.EVENT_STOP << 8) : signal, 0);
        return true;
    }

    /**
     * A syscall-stop the supervisor did not ask for, of a thread its debugger resumed with
     * PTRACE_SYSCALL: reported, unless it is the entry of a call the supervisor made the
     * thread make again (after a call of its own), whose first entry was reported already.
     */
    boolean syscallStop(Tracee tracee) {
        Debuggee debuggee = tracee.debuggee;
        if (debuggee == null || debuggee.mode != Ptrace.PTRACE_SYSCALL) {
            return false;
        }
        ptrace.syscallInfo(tracee.tid, info, 88);
        if (info.getByte(0) == OP_ENTRY && tracee.remade) {
            tracee.remade = false;
            ptrace.resume(Ptrace.PTRACE_SYSCALL, tracee.tid, 0);
        } else {
            hold(tracee, debuggee.syscallStop(), 0);
        }
        return true;
    }

    /**
     * A call trapped by the supervisor (at its seccomp stop, or taken over from its listener)
     * that the program's own seccomp filters answer SECCOMP_RET_TRACE for: its debugger, if it
     * asked PTRACE_O_TRACESECCOMP, sees a PTRACE_EVENT_SECCOMP stop first, with the filter's
     * data; {@code decide} is what the supervisor does with the call once the debugger resumes
     * the thread.
     */
    boolean seccompStop(Tracee tracee, org.umview.syscall.SyscallRequest request, int auditArch, Runnable decide) {
        int action = ownAction(tracee, request, auditArch);
        if (action < 0) {
            return false;
        }
        hold(tracee, WaitStatus.SIGTRAP | (WaitStatus.EVENT_SECCOMP << 8), action & 0xffff);
        tracee.debuggee.resumption = signal -> decide.run();
        return true;
    }

    /**
     * Whether a call the supervisor's listener took must be taken over with ptrace instead: its
     * filter outranks the program's SECCOMP_RET_TRACE, whose stop the debugger is to see.
     */
    boolean wantsSeccompStop(Tracee tracee, org.umview.syscall.SyscallRequest request, int auditArch) {
        return ownAction(tracee, request, auditArch) >= 0;
    }

    /** The RET_TRACE (with its data) the program's own filters answer for {@code request}, if its debugger asked for those stops; else -1. */
    private static int ownAction(Tracee tracee, org.umview.syscall.SyscallRequest request, int auditArch) {
        Debuggee debuggee = tracee.debuggee;
        List<org.umview.seccomp.FilterProgram> filters = tracee.process.chain().ownFilters();
        if (debuggee == null || !debuggee.wants(Ptrace.O_TRACESECCOMP) || filters.isEmpty()) {
            return -1;
        }
        int action = org.umview.seccomp.FilterProgram.RET_ALLOW;
        for (int i = filters.size() - 1; i >= 0; i--) {
            // The instruction pointer is not told: no filter of a debugger's tests it.
            action = org.umview.seccomp.FilterProgram.precedence(action,
                    filters.get(i).run(request.number(), auditArch, 0, request.args()));
        }
        return (action & 0xffff0000) == org.umview.seccomp.FilterProgram.RET_TRACE ? action & 0xffff : -1;
    }

    /** The exit of a program's own call, whose stop the supervisor asked for: its debugger sees it too if it asked. */
    void callReturned(Tracee tracee) {
        Debuggee debuggee = tracee.debuggee;
        if (debuggee != null && debuggee.mode == Ptrace.PTRACE_SYSCALL && debuggee.stopAtResume == 0) {
            debuggee.stopAtResume = debuggee.syscallStop();
        }
    }

    /** The supervisor answered the call itself, skipping it: the debugger is shown the program's number. */
    void answered(Tracee tracee, long number) {
        if (tracee.debuggee != null) {
            tracee.debuggee.answeredNumber = number;
        }
    }

    /** A fork, vfork or clone event of {@code parent}: the child is traced too if the debugger asked for that event. */
    void created(Tracee parent, Tracee child, int event) {
        Debuggee debuggee = parent.debuggee;
        long option = switch (event) {
            case WaitStatus.EVENT_FORK -> Ptrace.O_TRACEFORK;
            case WaitStatus.EVENT_VFORK -> Ptrace.O_TRACEVFORK;
            default -> Ptrace.O_TRACECLONE;
        };
        if (debuggee == null || !debuggee.wants(option) || child.debuggee != null) {
            return;
        }
        Debuggee born = attach(child, debuggee.debugger.tgid, debuggee.seized, debuggee.options);
        if (born.seized) {
            born.stopAtResume = EVENT_STOP_BITS;
        } else {
            stopSent(child); // its first stop, as the kernel queues it
        }
        debuggee.stopAtResume = WaitStatus.SIGTRAP | (event << 8);
        debuggee.eventAtResume = child.tid;
    }

    /** A successful execve: PTRACE_EVENT_EXEC if asked for, else the SIGTRAP a debugger attached the old way gets. */
    void execed(Tracee tracee, int formerTid) {
        Debuggee debuggee = tracee.debuggee;
        if (debuggee == null) {
            return;
        }
        if (debuggee.wants(Ptrace.O_TRACEEXEC)) {
            debuggee.stopAtResume = WaitStatus.SIGTRAP | (WaitStatus.EVENT_EXEC << 8);
            debuggee.eventAtResume = formerTid;
        } else if (!debuggee.seized) {
            Native.libc().tgkill(tracee.tgid(), tracee.tid, WaitStatus.SIGTRAP);
        }
    }

    /** An event only a debugger asks for (PTRACE_EVENT_EXIT, _VFORK_DONE). */
    void event(Tracee tracee, int event) {
        Debuggee debuggee = tracee.debuggee;
        long option = event == WaitStatus.EVENT_EXIT ? Ptrace.O_TRACEEXIT : Ptrace.O_TRACEVFORKDONE;
        if (debuggee != null && debuggee.wants(option)) {
            debuggee.stopAtResume = WaitStatus.SIGTRAP | (event << 8);
            debuggee.eventAtResume = ptrace.eventMessage(tracee.tid);
        }
    }

    /** A PTRACE_EVENT_STOP that is not a group-stop: the debugger's if it interrupted the thread or let it listen. */
    void interrupted(Tracee tracee) {
        Debuggee debuggee = tracee.debuggee;
        if (debuggee != null && debuggee.interruptWanted) {
            debuggee.interruptWanted = false;
            debuggee.stopAtResume = EVENT_STOP_BITS;
        }
    }

    /**
     * Where the supervisor lets a thread run: a debugged thread with a stop to report stays
     * stopped for its debugger, one without goes on as its debugger last resumed it. False if
     * the thread is not debugged.
     */
    boolean resumes(Tracee tracee, int signal) {
        Debuggee debuggee = tracee.debuggee;
        if (debuggee == null) {
            return false;
        }
        if (debuggee.stopped()) {
            return true; // kept for its debugger, which resumes it
        }
        if (debuggee.stopAtResume != 0) {
            int bits = debuggee.stopAtResume;
            debuggee.stopAtResume = 0;
            hold(tracee, bits, debuggee.eventAtResume);
        } else {
            if (debuggee.mode != Ptrace.PTRACE_SYSCALL) {
                debuggee.answeredNumber = -1; // no exit stop of that call for the debugger to see
            }
            ptrace.resume(debuggee.mode, tracee.tid, signal);
        }
        return true;
    }

    /** A thread of the view is gone (its wait status from the kernel). */
    void exited(Tracee gone, int status) {
        Debuggee debuggee = gone.debuggee;
        if (debuggee != null) {
            Debugger debugger = debuggee.debugger;
            debugger.debuggees.remove(gone.tid);
            debugger.forget(gone.tid);
            if (!debuggee.realChild) { // a real child's exit the kernel reports, with its own SIGCHLD
                debugger.reports.add(new Debugger.Report(gone.tid, status, true, gone.tid != gone.tgid()));
                Native.libc().kill(debugger.tgid, WaitStatus.SIGCHLD);
            }
        }
        if (debuggers.isEmpty()) {
            return; // no debugger in the view: nothing more to do at each exit
        }
        for (Debugger debugger : new ArrayList<>(debuggers.values())) {
            if (debugger.parkedWaits.remove(gone.tid) != null) {
                host.waiting(gone.tid, null);
            }
            if (gone.tid == debugger.tgid) {
                debuggerGone(debugger);
            }
        }
        wakeAll(); // a real child of a waiting debugger may be waitable now
    }

    /** A debugger's process is gone: its tracees die if it asked PTRACE_O_EXITKILL, else they are let go. */
    private void debuggerGone(Debugger debugger) {
        for (Debuggee debuggee : List.copyOf(debugger.debuggees.values())) {
            Tracee tracee = host.tracee(debuggee.tid);
            if (debuggee.wants(Ptrace.O_EXITKILL)) {
                Native.libc().kill(debuggee.tid, WaitStatus.SIGKILL);
            }
            if (tracee != null) {
                detach(tracee, 0);
            }
        }
        debugger.reports.clear();
        debuggers.remove(debugger.tgid);
    }

    /** Wakes every debugger's waits to look again (a child of one may have stopped or gone). */
    void wakeAll() {
        if (debuggers.isEmpty()) {
            return;
        }
        for (Debugger debugger : List.copyOf(debuggers.values())) {
            wake(debugger);
        }
    }

    /** Keeps {@code tracee} stopped for its debugger, which is told with SIGCHLD and its waits. */
    private void hold(Tracee tracee, int bits, long message) {
        Debuggee debuggee = tracee.debuggee;
        debuggee.stop = bits;
        debuggee.eventMessage = message;
        debuggee.resumption = signal -> ptrace.resume(debuggee.mode, tracee.tid, signal);
        if ((debuggee.options & EVENT_OPTIONS) != 0) {
            ptrace.setOptions(tracee.tid, debuggee.options & EVENT_OPTIONS); // only now stopped, as setting them needs
        }
        Debugger debugger = debuggee.debugger;
        LOG.debug("tracee {}: stopped for its debugger {} (0x{})", tracee.tid, debugger.tgid, Integer.toHexString(bits));
        debugger.reports.add(new Debugger.Report(tracee.tid, bits, false, tracee.tid != tracee.tgid()));
        Native.libc().kill(debugger.tgid, WaitStatus.SIGCHLD);
        wake(debugger);
    }

    private void wake(Debugger debugger) {
        debugger.changes++;
        List<Map.Entry<Integer, Runnable>> parked = new ArrayList<>(debugger.parkedWaits.entrySet());
        debugger.parkedWaits.clear();
        for (Map.Entry<Integer, Runnable> wait : parked) {
            host.waiting(wait.getKey(), null);
            wait.getValue().run();
        }
    }

    /** Parks a thread of {@code debugger} in its wait until something is to be reported, or a signal comes. */
    void park(Debugger debugger, int tid, Runnable wake) {
        debugger.parkedWaits.put(tid, wake);
        host.waiting(tid, () -> {
            // On the signal watcher's thread: the wake is the tracer's to carry out.
            host.waiting(tid, null);
            host.post(() -> {
                if (debugger.parkedWaits.remove(tid, wake)) {
                    wake.run();
                }
            });
        });
    }

    /** Runs {@code work} on the tracer thread after the stop at hand. */
    void post(Runnable work) {
        host.post(work);
    }

    /** Lets a thread the debugging kept stopped go on, as the supervisor would from any stop. */
    void goOn(Tracee tracee) {
        host.goOn(tracee);
    }

    /** Forgets a debugger that traces nothing and has nothing to report: its waits are the kernel's again. */
    void dropIfIdle(Debugger debugger) {
        if (debugger.idle()) {
            debuggers.remove(debugger.tgid);
        }
    }
}
