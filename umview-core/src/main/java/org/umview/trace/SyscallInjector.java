package org.umview.trace;

import java.util.function.LongConsumer;
import org.umview.libc.Errno;
import org.umview.libc.Native;
import org.umview.syscall.Architecture;

/**
 * Makes a tracee that is stopped at the entry of one of its own calls run a call of the
 * supervisor's choosing first (an mmap for a scratch page, a seccomp filter). When that call
 * returns, the registers are put back with the instruction pointer on the system call
 * instruction, so the tracee then makes its own call again, from the start, and it is
 * trapped and decided as if for the first time.
 */
final class SyscallInjector {
    private static final long ERESTARTSYS = 512;
    private static final long ERESTARTNOINTR = 513;
    private static final long ERESTARTNOHAND = 514;
    private static final long ERESTART_RESTARTBLOCK = 516;

    private final Architecture arch;
    private final Ptrace ptrace;

    SyscallInjector(Architecture arch, Ptrace ptrace) {
        this.arch = arch;
        this.ptrace = ptrace;
    }

    /** Runs {@code number(args)} in {@code tracee}; {@code done} gets the result (or -errno). */
    void inject(Tracee tracee, int number, long[] args, LongConsumer done) {
        long[] saved = ptrace.getRegisters(tracee.tid);
        long[] call = saved.clone();
        call[arch.syscallNumberRegister()] = number;
        for (int i = 0; i < args.length; i++) {
            call[arch.argumentRegister(i)] = args[i];
        }
        ptrace.setRegisters(tracee.tid, call);
        tracee.injected = true;
        tracee.atSyscallExit = result -> {
            tracee.injected = false;
            tracee.remade = true;
            long[] again = saved.clone();
            again[arch.instructionPointerRegister()] -= arch.syscallInstructionLength();
            again[arch.returnRegister()] = saved[arch.syscallNumberRegister()];
            ptrace.setRegisters(tracee.tid, again);
            done.accept(result);
        };
        ptrace.toSyscallExit(tracee.tid);
    }

    /**
     * Runs {@code number(args)} in a tracee stopped outside a system call (an interrupt or a
     * new thread's first stop), by pointing it at a system call instruction of its vDSO. A
     * call the interrupt broke off is restarted afterwards as the kernel would have.
     */
    void injectAtStop(Tracee tracee, int number, long[] args, LongConsumer done) {
        long[] saved = ptrace.getRegisters(tracee.tid);
        long instruction = SyscallInstruction.find(tracee.tid);
        if (instruction == 0) {
            done.accept(-Errno.ENOSYS);
            ptrace.cont(tracee.tid, 0);
            return;
        }
        long[] call = saved.clone();
        call[arch.instructionPointerRegister()] = instruction;
        call[arch.returnRegister()] = number;
        call[arch.syscallNumberRegister()] = -1;
        for (int i = 0; i < args.length; i++) {
            call[arch.argumentRegister(i)] = args[i];
        }
        ptrace.setRegisters(tracee.tid, call);
        tracee.entryStopExpected = true;
        tracee.injected = true;
        tracee.atSyscallExit = result -> {
            tracee.injected = false;
            ptrace.setRegisters(tracee.tid, restarted(saved));
            done.accept(result);
            if (tracee.atSyscallExit == null) { // no further call chained: the tracee's own state is back
                for (int signal : tracee.deferredSignals) {
                    Native.libc().tgkill(tracee.tgid(), tracee.tid, signal);
                }
                tracee.deferredSignals.clear();
            }
        };
        ptrace.toSyscallExit(tracee.tid);
    }

    /* What the kernel does on the way back to user mode for a call broken off by a stop. */
    private long[] restarted(long[] saved) {
        long[] regs = saved.clone();
        long number = regs[arch.syscallNumberRegister()];
        long result = regs[arch.returnRegister()];
        if (number >= 0 && (result == -ERESTARTSYS || result == -ERESTARTNOINTR || result == -ERESTARTNOHAND)) {
            regs[arch.returnRegister()] = number;
            regs[arch.instructionPointerRegister()] -= arch.syscallInstructionLength();
        } else if (number >= 0 && result == -ERESTART_RESTARTBLOCK) {
            regs[arch.returnRegister()] = arch.syscalls().number("restart_syscall");
            regs[arch.instructionPointerRegister()] -= arch.syscallInstructionLength();
        }
        return regs;
    }
}
