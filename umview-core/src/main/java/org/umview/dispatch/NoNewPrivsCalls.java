package org.umview.dispatch;

import org.umview.libc.Errno;
import org.umview.process.ProcStatus;
import org.umview.syscall.SyscallRequest;

/**
 * no_new_privs as a program would see it without umview. Processes in a view run with it set
 * (the view's unprivileged seccomp filter needs it), but a program is told its own value, 0
 * until it sets it, and a seccomp filter it installs before setting it (and without
 * CAP_SYS_ADMIN) is refused with EACCES, as the kernel refuses it.
 */
final class NoNewPrivsCalls {
    private final org.umview.memory.TraceeMemory memory;

    NoNewPrivsCalls(org.umview.memory.TraceeMemory memory) {
        this.memory = memory;
    }

    static final int PR_SET_SECCOMP = 22;
    static final int PR_SET_NO_NEW_PRIVS = 38;
    static final int PR_GET_NO_NEW_PRIVS = 39;
    private static final int SECCOMP_MODE_FILTER = 2;
    private static final long SECCOMP_SET_MODE_FILTER = 1;
    private static final long CAP_SYS_ADMIN = 21;

    Verdict prctl(SyscallRequest request) {
        return switch ((int) request.arg(0)) {
            case PR_GET_NO_NEW_PRIVS -> request.arg(1) == 0 && request.arg(2) == 0 && request.arg(3) == 0 && request.arg(4) == 0
                    ? Verdict.result(request.process().noNewPrivs() ? 1 : 0) : Verdict.error(Errno.EINVAL);
            case PR_SET_NO_NEW_PRIVS -> {
                if (request.arg(1) == 1 && request.arg(2) == 0 && request.arg(3) == 0 && request.arg(4) == 0) {
                    request.process().setNoNewPrivs();
                }
                yield Verdict.CONTINUE; // the kernel checks the arguments; its own flag is set already
            }
            case PR_SET_SECCOMP -> request.arg(1) != SECCOMP_MODE_FILTER ? null : filter(request, request.arg(2));
            default -> null;
        };
    }

    /** seccomp(SECCOMP_SET_MODE_FILTER, ...) refused as the kernel refuses it; null: decided by the next. */
    Verdict seccomp(SyscallRequest request) {
        return request.arg(0) != SECCOMP_SET_MODE_FILTER ? null : filter(request, request.arg(2));
    }

    /**
     * A filter the program installs (struct sock_fprog at {@code fprog}): refused with EACCES as
     * the kernel refuses it, after the errors the kernel finds first (EFAULT for a bad pointer,
     * EINVAL for a bad length: its to answer); else kept once the kernel has taken it, since its
     * debugger in the view must see the PTRACE_EVENT_SECCOMP stops it asks for.
     */
    private Verdict filter(SyscallRequest request, long fprog) {
        org.umview.seccomp.FilterProgram program;
        try {
            java.nio.ByteBuffer header = java.nio.ByteBuffer.wrap(memory.read(request.tid(), fprog, 16))
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            int length = header.getShort(0) & 0xffff;
            program = length == 0 || length > 4096 ? null
                    : org.umview.seccomp.FilterProgram.of(memory.read(request.tid(), header.getLong(8), 8 * length));
        } catch (org.umview.memory.TraceeMemoryException e) {
            program = null;
        }
        if (program == null) {
            return null;
        }
        if (!mayAddFilter(request)) {
            return Verdict.error(Errno.EACCES);
        }
        org.umview.seccomp.FilterProgram installed = program;
        return Verdict.watch(result -> {
            if (result >= 0) {
                request.process().chain().ownFilterAdded(installed);
            }
        });
    }

    private static boolean mayAddFilter(SyscallRequest request) {
        return request.process().noNewPrivs()
                || (ProcStatus.effectiveCapabilities(request.tid()) & (1L << CAP_SYS_ADMIN)) != 0;
    }
}
