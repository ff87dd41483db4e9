package org.umview.syscall;

/**
 * What the tracer needs to know about one instruction set: its system calls, how seccomp
 * names it, and where the kernel keeps the call number and result of a stopped tracee.
 */
public interface Architecture {
    /** AUDIT_ARCH_* as seccomp_data.arch reports it. */
    int auditArch();

    SyscallTable syscalls();

    /** Offset in the ptrace user area of the register holding the call number (orig_rax). */
    int syscallNumberOffset();

    /** Offset in the ptrace user area of the register holding the result (rax). */
    int returnValueOffset();

    /** Size of the general register block PTRACE_GETREGS fills, in 64-bit words. */
    int registerWords();

    /** Word index, in that block, of system call argument {@code n} (0-5). */
    int argumentRegister(int n);

    /** Word index of the call number as the kernel dispatches it (orig_rax). */
    int syscallNumberRegister();

    /** Word index of the register that holds the number before the call and the result after. */
    int returnRegister();

    int instructionPointerRegister();

    /** Index of the stack pointer in the register set. */
    int stackPointerRegister();

    /** Length of the system call instruction, to step back over it and make the call again. */
    int syscallInstructionLength();

    /* mmap(2) constants, for the scratch page the supervisor maps into a tracee. */
    int protReadWrite();

    int mapPrivateAnonymous();

    /** The architecture the supervisor runs on. */
    static Architecture host() {
        String arch = System.getProperty("os.arch");
        if ("amd64".equals(arch) || "x86_64".equals(arch)) {
            return X86_64.INSTANCE;
        }
        throw new UnsupportedOperationException("umview does not support the " + arch + " architecture yet");
    }
}
