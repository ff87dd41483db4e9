package org.umview.trace;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.umview.dispatch.Verdict;
import org.umview.libc.Errno;
import org.umview.memory.TraceeMemory;
import org.umview.memory.TraceeMemoryException;
import org.umview.process.SignalState;
import org.umview.seccomp.TrapSet;
import org.umview.syscall.Architecture;
import org.umview.syscall.SyscallRequest;

/**
 * Waits that a signal the process ignores must not end. The kernel drops an ignored signal
 * when it is sent, but not one sent to a traced thread: that is queued, wakes the thread and is
 * dropped only after its delivery stop. Calls that then return EINTR themselves instead of
 * being restarted by the kernel (rt_sigtimedwait, epoll_wait, semop) would end where natively
 * they go on waiting (LTP's rt_sigtimedwait01; an event loop among its children's SIGCHLDs). At
 * that stop such a call is made again with what is left of its timeout: rt_sigtimedwait's
 * entry is trapped to know when the wait began; an epoll_wait with a timeout keeps its EINTR,
 * as its start is not known.
 */
final class SignalWaits {
    private static final long NANOS = 1_000_000_000L;

    private final Architecture arch;
    private final Ptrace ptrace;
    private final TraceeMemory memory;
    private final int rtSigtimedwait;
    private final int epollWait;
    private final int epollPwait;
    private final int epollPwait2;
    private final int semop;
    private final int semtimedop;

    SignalWaits(Architecture arch, Ptrace ptrace, TraceeMemory memory) {
        this.arch = arch;
        this.ptrace = ptrace;
        this.memory = memory;
        this.rtSigtimedwait = arch.syscalls().number("rt_sigtimedwait");
        this.epollWait = arch.syscalls().number("epoll_wait");
        this.epollPwait = arch.syscalls().number("epoll_pwait");
        this.epollPwait2 = arch.syscalls().number("epoll_pwait2");
        this.semop = arch.syscalls().number("semop");
        this.semtimedop = arch.syscalls().number("semtimedop");
    }

    TrapSet traps() {
        return new TrapSet().always(rtSigtimedwait);
    }

    /** Whether this class decides call {@code number} at its entry. */
    boolean decides(long number) {
        return number == rtSigtimedwait;
    }

    /** rt_sigtimedwait entering: when its wait is to end is noted; made again after a wake-up, it is given what is left. */
    Verdict entered(Tracee tracee, SyscallRequest request) {
        boolean again = tracee.waitRemade;
        tracee.waitRemade = false;
        long timeout = request.arg(2);
        if (timeout == 0) {
            return Verdict.CONTINUE;
        }
        if (again) {
            long left = tracee.waitEnds - System.nanoTime();
            return left <= 0 ? Verdict.error(Errno.EAGAIN)
                    : Verdict.rewrite(List.of(new Verdict.ArgumentChange(2, 0, timespec(left))));
        }
        try {
            ByteBuffer given = ByteBuffer.wrap(memory.read(request.tid(), timeout, 16)).order(ByteOrder.LITTLE_ENDIAN);
            long seconds = given.getLong(0);
            long nanos = given.getLong(8);
            if (seconds >= 0 && nanos >= 0 && nanos < NANOS) {
                tracee.waitEnds = System.nanoTime() + Math.min(seconds, Long.MAX_VALUE / NANOS / 2) * NANOS + nanos;
            }
        } catch (TraceeMemoryException e) {
            // the kernel answers EFAULT
        }
        return Verdict.CONTINUE;
    }

    /**
     * At the delivery stop of {@code signal}, with the thread's registers {@code regs}: true if
     * the call it ended is made again (the tracer then resumes the thread without the signal,
     * which the process ignores).
     */
    boolean remade(Tracee tracee, int signal, long[] regs) {
        long number = regs[arch.syscallNumberRegister()];
        if (regs[arch.returnRegister()] != -Errno.EINTR || !endsItself(number, regs) || !SignalState.ignoredAlone(tracee.tid, signal)) {
            return false;
        }
        tracee.waitRemade = number == rtSigtimedwait;
        regs[arch.instructionPointerRegister()] -= arch.syscallInstructionLength();
        regs[arch.returnRegister()] = number;
        regs[arch.syscallNumberRegister()] = -1; // no restart of the kernel's on top of this one
        ptrace.setRegisters(tracee.tid, regs);
        return true;
    }

    /* The calls that answer EINTR to a wake-up themselves, where no timeout would be lost by making them again. */
    private boolean endsItself(long number, long[] regs) {
        if (number == rtSigtimedwait || number == semop) {
            return true;
        }
        if (number == epollWait || number == epollPwait) {
            return (int) regs[arch.argumentRegister(3)] < 0;
        }
        return (number == epollPwait2 || number == semtimedop) && regs[arch.argumentRegister(3)] == 0;
    }

    private static byte[] timespec(long nanos) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(nanos / NANOS).putLong(nanos % NANOS).array();
    }
}
