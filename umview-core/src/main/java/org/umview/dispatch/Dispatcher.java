package org.umview.dispatch;

import java.util.BitSet;
import org.umview.syscall.SyscallRequest;

/** Decides every trapped call; the tracer asks it and carries out its verdict. */
public interface Dispatcher {
    /** The system call numbers the view must trap: the seccomp filter is built from them. */
    BitSet trappedSyscalls();

    Verdict decide(SyscallRequest request);

    /** The calls to trap in a process once it holds virtual descriptors. */
    BitSet descriptorSyscalls();
}
