package org.umview.trace;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.umview.libc.Errno;
import org.umview.memory.TraceeMemory;
import org.umview.memory.TraceeMemoryException;
import org.umview.process.ProcStatus;
import org.umview.process.SignalState;
import org.umview.syscall.Architecture;
import org.umview.syscall.SyscallRequest;

/**
 * wait4 and waitid of a debugger of the view. What it is to be told of its debuggees (their
 * stops, and the exits of those that are not its own children) is answered from
 * {@link Debugger#reports}; everything else (its real children, among them the debuggees it
 * started) is the kernel's, asked first with WNOHANG. A wait that would block is kept stopped
 * at that call's exit and made again when something comes to report, or ended by a signal as
 * the kernel ends it (-ERESTARTSYS: EINTR, or a restart with SA_RESTART).
 */
final class DebuggerWaits {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DebuggerWaits.class);
    private static final long WNOHANG = 1;
    private static final long WEXITED = 4;
    private static final long WNOWAIT = 0x1000000;
    private static final long WCLONE = 0x80000000L;
    private static final long WALL = 0x40000000;
    private static final int P_ALL = 0;
    private static final int P_PID = 1;
    private static final int P_PGID = 2;
    private static final int CLD_EXITED = 1;
    private static final int CLD_KILLED = 2;
    private static final int CLD_DUMPED = 3;
    private static final int CLD_TRAPPED = 4;
    private static final int RUSAGE_SIZE = 144;
    private static final int SIGINFO_SIZE = 128;
    private static final long ERESTARTSYS = 512;

    private final Architecture arch;
    private final Ptrace ptrace;
    private final TraceeMemory memory;
    private final Debugging debugging;
    private final int wait4;
    private final int waitid;

    DebuggerWaits(Architecture arch, Ptrace ptrace, TraceeMemory memory, Debugging debugging) {
        this.arch = arch;
        this.ptrace = ptrace;
        this.memory = memory;
        this.debugging = debugging;
        this.wait4 = arch.syscalls().number("wait4");
        this.waitid = arch.syscalls().number("waitid");
    }

    boolean isWait(int number) {
        return number == wait4 || number == waitid;
    }

    /**
     * Takes a wait call of {@code tracee} if its process is a debugger: false if it is not (the
     * kernel answers), else the call is answered (through {@code answer}) or made with WNOHANG.
     */
    boolean decides(Tracee tracee, SyscallRequest request, java.util.function.LongConsumer answer) {
        Debugger debugger = debugging.debugger(tracee.tgid());
        if (debugger == null) {
            return false;
        }
        boolean id = request.number() == waitid;
        long pid;
        if (id) {
            int type = (int) request.arg(0);
            if (type != P_ALL && type != P_PID && type != P_PGID) {
                return false; // P_PIDFD: a process the debugger named by a descriptor, the kernel's
            }
            pid = type == P_PID ? request.arg(1) : -1;
        } else {
            pid = (int) request.arg(0);
        }
        long options = request.arg(id ? 3 : 2);
        for (Debugger.Report report : debugger.reports) {
            if (selects(report, pid, options, id)) {
                try {
                    tell(tracee, request, report, id);
                } catch (TraceeMemoryException e) {
                    answer.accept(-e.errno());
                    return true;
                }
                if (!(id && (options & WNOWAIT) != 0)) {
                    debugger.reports.remove(report);
                }
                debugging.dropIfIdle(debugger);
                LOG.debug("tracee {}: wait reports {} (0x{})", tracee.tid, report.tid(), Integer.toHexString(report.status()));
                answer.accept(id ? 0 : report.tid());
                return true;
            }
        }
        if (!debugger.traces(pid)) {
            return false;
        }
        probe(tracee, request, id, options, debugger);
        return true;
    }

    private static boolean selects(Debugger.Report report, long pid, long options, boolean id) {
        if (pid > 0 && report.tid() != pid) {
            return false;
        }
        if ((options & WALL) == 0 && report.thread() != ((options & WCLONE) != 0)) {
            return false;
        }
        return !(report.exit() && id && (options & WEXITED) == 0);
    }

    /** Writes what the kernel would: wait4's status and rusage, or waitid's siginfo. */
    private void tell(Tracee tracee, SyscallRequest request, Debugger.Report report, boolean id) {
        if (id) {
            if (request.arg(2) != 0) {
                memory.write(tracee.tid, request.arg(2), siginfo(report, ProcStatus.uid(tracee.tid)));
            }
            if (request.arg(4) != 0) {
                memory.write(tracee.tid, request.arg(4), new byte[RUSAGE_SIZE]);
            }
            return;
        }
        if (request.arg(1) != 0) {
            int status = report.exit() ? report.status() : Debuggee.stopStatus(report.status());
            memory.write(tracee.tid, request.arg(1), ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, status).array());
        }
        if (request.arg(3) != 0) {
            memory.write(tracee.tid, request.arg(3), new byte[RUSAGE_SIZE]);
        }
    }

    private static byte[] siginfo(Debugger.Report report, int uid) {
        ByteBuffer info = ByteBuffer.allocate(SIGINFO_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        int status = report.status();
        int code;
        int value;
        if (!report.exit()) {
            code = CLD_TRAPPED;
            value = status;
        } else if (WaitStatus.exited(status)) {
            code = CLD_EXITED;
            value = WaitStatus.exitCode(status);
        } else {
            code = (status & 0x80) != 0 ? CLD_DUMPED : CLD_KILLED;
            value = WaitStatus.termSignal(status);
        }
        info.putInt(0, WaitStatus.SIGCHLD).putInt(8, code).putInt(16, report.tid()).putInt(20, uid).putInt(24, value);
        return info.array();
    }

    /**
     * Asks the kernel with WNOHANG: its answer stands if it has one (a real child); with
     * nothing there, a WNOHANG wait gets 0 and a blocking one is parked until its debuggees
     * have something to report.
     */
    private void probe(Tracee tracee, SyscallRequest request, boolean id, long options, Debugger debugger) {
        long[] saved = ptrace.getRegisters(tracee.tid);
        long changes = debugger.changes;
        long[] probing = saved.clone();
        probing[arch.argumentRegister(id ? 3 : 2)] = options | WNOHANG;
        ptrace.setRegisters(tracee.tid, probing);
        tracee.atSyscallExit = result -> {
            if (result != 0 && result != -Errno.ECHILD) {
                answer(tracee, saved, result);
            } else if ((options & WNOHANG) != 0) {
                if (id && request.arg(2) != 0) {
                    writeQuietly(tracee, request.arg(2), new byte[SIGINFO_SIZE]); // nothing: the kernel zeroes it
                }
                answer(tracee, saved, 0);
            } else if (debugger.changes != changes) {
                tracee.parked = true; // something came while the kernel was asked: the wait is made again at once
                debugging.post(() -> again(tracee, saved, request.number()));
            } else {
                LOG.debug("tracee {}: wait parked", tracee.tid);
                tracee.parked = true;
                debugging.park(debugger, tracee.tid, () -> again(tracee, saved, request.number()));
            }
        };
        ptrace.toSyscallExit(tracee.tid);
    }

    private void answer(Tracee tracee, long[] saved, long result) {
        long[] after = saved.clone();
        after[arch.returnRegister()] = result;
        ptrace.setRegisters(tracee.tid, after);
    }

    /** A parked wait made again (something to report), or ended by a signal the kernel will deliver. */
    private void again(Tracee tracee, long[] saved, int number) {
        tracee.parked = false;
        if (tracee.gone) {
            return;
        }
        long[] regs = saved.clone();
        if (SignalState.interrupting(tracee.tid)) {
            regs[arch.returnRegister()] = -ERESTARTSYS;
        } else {
            regs[arch.returnRegister()] = number;
            regs[arch.instructionPointerRegister()] -= arch.syscallInstructionLength();
        }
        ptrace.setRegisters(tracee.tid, regs);
        debugging.goOn(tracee);
    }

    private void writeQuietly(Tracee tracee, long address, byte[] bytes) {
        try {
            memory.write(tracee.tid, address, bytes);
        } catch (TraceeMemoryException e) {
            // the kernel would not have written there either: it already answered the call
        }
    }
}
