package org.umview.dispatch;

import org.umview.seccomp.TrapSet;
import org.umview.syscall.SyscallRequest;

/** Decides every trapped call; the tracer asks it and carries out its verdict. */
public interface Dispatcher {
    /** The calls every process of the view must trap: its seccomp filter is built from them. */
    TrapSet trappedSyscalls();

    /**
     * The part of {@link #trappedSyscalls} a listener may take (seccomp user notification):
     * calls whose verdict is mostly to let them run or to answer them.
     */
    TrapSet notifiedSyscalls();

    Verdict decide(SyscallRequest request);

    /** The calls on descriptor {@code fd} (and relative to it) to trap once it is virtual. */
    TrapSet descriptorSyscalls(int fd);

    /**
     * Every call on a descriptor or relative to one, whatever its number: what a process gets
     * instead of one more filter per descriptor once its filters near the kernel's bound.
     */
    TrapSet everyDescriptorCall();

    /** The calls to trap once a process has a writable shared map of a virtual file: those that may end it. */
    TrapSet mapSyscalls();

    /** The calls to trap once a process has a cwd in a served file system. */
    TrapSet cwdSyscalls();

    /** A process executed {@code executable} (null if unknown): more calls it must trap, or null. */
    TrapSet execed(org.umview.process.ProcessState process, String executable);

    /**
     * Whether a module serves the wall clock: processes then get no vDSO at exec, so that
     * their clock calls are made, and trapped, as system calls.
     */
    boolean clockServed();

    /** The view umview started: processes never moved elsewhere are in it. */
    org.umview.view.ViewNode rootView();

    /** No process is left in {@code view} or below it: its mounts go. */
    void viewEmptied(org.umview.view.ViewNode view);

    /** The path calls to trap in a process whose descriptor {@code fd} is a directory a mount lies under. */
    TrapSet dirfdSyscalls(int fd);
}
