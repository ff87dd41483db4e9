package org.umview.trace;

import jnr.ffi.Pointer;
import org.umview.libc.Native;
import org.umview.syscall.SyscallRequest;
import org.umview.syscall.SyscallTable;

/** Reads the call a tracee is making with one PTRACE_GET_SYSCALL_INFO. */
final class SyscallDecoder {
    /* struct ptrace_syscall_info: op(1) pad(3) arch(4) ip(8) sp(8), then nr and args[6]. */
    private static final int SIZE = 88;
    private static final int NR = 24;
    private static final int ARGS = 32;

    private final SyscallTable table;
    private final Pointer buffer = Native.allocate(SIZE);

    SyscallDecoder(SyscallTable table) {
        this.table = table;
    }

    SyscallRequest atSeccompStop(Ptrace ptrace, Tracee tracee) {
        int tid = tracee.tid;
        ptrace.syscallInfo(tid, buffer, SIZE);
        int nr = (int) buffer.getLong(NR);
        long[] args = new long[6];
        for (int i = 0; i < args.length; i++) {
            args[i] = buffer.getLong(ARGS + 8L * i);
        }
        return new SyscallRequest(tid, tracee.tgid(), tracee.process, table.byNumber(nr), args);
    }
}
