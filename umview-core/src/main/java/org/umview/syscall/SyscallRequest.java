package org.umview.syscall;

import org.umview.process.ProcessState;

/**
 * A system call a tracee is about to make, as decoded at its seccomp stop: the thread, its
 * process (thread group) and the call with its raw arguments.
 */
public record SyscallRequest(int tid, int tgid, ProcessState process, Syscall call, long[] args) {
    public int number() {
        return call.number();
    }

    public long arg(int index) {
        return args[index];
    }
}
