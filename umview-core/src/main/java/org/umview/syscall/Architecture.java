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

    /** The architecture the supervisor runs on. */
    static Architecture host() {
        String arch = System.getProperty("os.arch");
        if ("amd64".equals(arch) || "x86_64".equals(arch)) {
            return X86_64.INSTANCE;
        }
        throw new UnsupportedOperationException("umview does not support the " + arch + " architecture yet");
    }
}
