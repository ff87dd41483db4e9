package org.umview.syscall;

/** A system call a tracee is about to make, as decoded at its seccomp stop. */
public record SyscallRequest(int tid, Syscall call, long[] args) {
    public int number() {
        return call.number();
    }

    public long arg(int index) {
        return args[index];
    }
}
