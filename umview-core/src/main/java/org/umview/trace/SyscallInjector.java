package org.umview.trace;

import java.util.function.LongConsumer;
import org.umview.syscall.Architecture;

/**
 * Makes a tracee that is stopped at the entry of one of its own calls run a call of the
 * supervisor's choosing first (an mmap for a scratch page, a seccomp filter). When that call
 * returns, the registers are put back with the instruction pointer on the system call
 * instruction, so the tracee then makes its own call again, from the start, and it is
 * trapped and decided as if for the first time.
 */
final class SyscallInjector {
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
        tracee.atSyscallExit = result -> {
            long[] again = saved.clone();
            again[arch.instructionPointerRegister()] -= arch.syscallInstructionLength();
            again[arch.returnRegister()] = saved[arch.syscallNumberRegister()];
            ptrace.setRegisters(tracee.tid, again);
            done.accept(result);
        };
        ptrace.toSyscallExit(tracee.tid);
    }
}
