package org.umview.libc;

import jnr.ffi.Pointer;

/**
 * The libc calls of the tracer's hot path. Kept small on purpose: jnr-ffi generates a proxy
 * per method at start-up, and rarely used calls live in {@link ProcessControl}.
 *
 * <p>{@code ptrace} is declared with fixed arguments: correct on x86_64, and a variadic
 * binding costs microseconds per call.
 */
public interface LibC {
    long ptrace(long request, int pid, long addr, long data);

    int waitpid(int pid, Pointer status, int options);

    /* Pointer parameters on purpose: six primitive parameters garble the sixth (jnr-ffi #181). */
    long process_vm_readv(int pid, Pointer localIov, long localCount, Pointer remoteIov, long remoteCount, long flags);

    long process_vm_writev(int pid, Pointer localIov, long localCount, Pointer remoteIov, long remoteCount, long flags);

    int kill(int pid, int signal);

    int tgkill(int tgid, int tid, int signal);

    long readlink(String path, Pointer buffer, long size);
}
