package org.umview.trace;

import jnr.ffi.Pointer;
import org.umview.libc.Errno;
import org.umview.libc.LibC;
import org.umview.libc.Native;
import org.umview.libc.NativeException;

/**
 * The ptrace requests the tracer makes. Every method must be called from the tracer thread:
 * the kernel answers ESRCH to any other thread, even of the same process.
 */
public final class Ptrace {
    static final long PTRACE_PEEKUSER = 3;
    static final long PTRACE_POKEUSER = 6;
    static final long PTRACE_CONT = 7;
    static final long PTRACE_GETREGS = 12;
    static final long PTRACE_SETREGS = 13;
    static final long PTRACE_SINGLESTEP = 9;
    static final long PTRACE_SETOPTIONS = 0x4200;
    static final long PTRACE_SYSCALL = 24;
    static final long PTRACE_GETEVENTMSG = 0x4201;
    static final long PTRACE_SEIZE = 0x4206;
    static final long PTRACE_INTERRUPT = 0x4207;
    static final long PTRACE_LISTEN = 0x4208;
    static final long PTRACE_GET_SYSCALL_INFO = 0x420e;

    static final long O_TRACESYSGOOD = 0x01;
    static final long O_TRACEFORK = 0x02;
    static final long O_TRACEVFORK = 0x04;
    static final long O_TRACECLONE = 0x08;
    static final long O_TRACEEXEC = 0x10;
    static final long O_TRACEVFORKDONE = 0x20;
    static final long O_TRACEEXIT = 0x40;
    static final long O_TRACESECCOMP = 0x80;
    static final long O_EXITKILL = 0x100000;

    /** Every process and thread of the view is followed, and dies if the tracer thread does. */
    static final long VIEW_OPTIONS = O_TRACESYSGOOD | O_TRACEFORK | O_TRACEVFORK | O_TRACECLONE
            | O_TRACEEXEC | O_TRACESECCOMP | O_EXITKILL;

    private final LibC libc = Native.libc();
    private final Pointer word = Native.allocate(8);
    private final int registerWords;
    private final Pointer registers;

    Ptrace(int registerWords) {
        this.registerWords = registerWords;
        this.registers = Native.allocate(registerWords * 8);
    }

    void seize(int pid) {
        check(libc.ptrace(PTRACE_SEIZE, pid, 0, VIEW_OPTIONS), "PTRACE_SEIZE");
    }

    /** Resumes a stopped tracee, delivering {@code signal} (0 for none). False if it is gone. */
    boolean cont(int pid, int signal) {
        return resume(PTRACE_CONT, pid, signal);
    }

    /** Resumes with {@code request} (PTRACE_CONT, PTRACE_SYSCALL, PTRACE_SINGLESTEP); false if the tracee is gone. */
    boolean resume(long request, int pid, long signal) {
        return resume(request, pid, (int) signal);
    }

    /** The view's options and {@code more} (events a debugger in the view asked for); false if the tracee is gone. */
    boolean setOptions(int pid, long more) {
        return libc.ptrace(PTRACE_SETOPTIONS, pid, 0, VIEW_OPTIONS | more) == 0;
    }

    /**
     * Any request but a peek, made as it is for a debugger of the view: the result, or -errno.
     */
    long raw(long request, int pid, long address, long data) {
        long result = libc.ptrace(request, pid, address, data);
        int errno = Native.errno();
        return result == -1 && errno != 0 ? -errno : result;
    }

    /** Resumes to the exit of the current system call. False if the tracee is gone. */
    boolean toSyscallExit(int pid) {
        return resume(PTRACE_SYSCALL, pid, 0);
    }

    /** Stops a running tracee (PTRACE_EVENT_STOP); false if it is gone. */
    boolean interrupt(int pid) {
        return libc.ptrace(PTRACE_INTERRUPT, pid, 0, 0) == 0;
    }

    /** Leaves a tracee in group-stop while letting SIGCONT and the real parent see it. */
    boolean listen(int pid) {
        return resume(PTRACE_LISTEN, pid, 0);
    }

    long eventMessage(int pid) {
        check(libc.ptrace(PTRACE_GETEVENTMSG, pid, 0, word.address()), "PTRACE_GETEVENTMSG");
        return word.getLong(0);
    }

    long peekUser(int pid, int offset) {
        return peek(PTRACE_PEEKUSER, pid, offset);
    }

    /** A word of a tracee's memory or user area (PTRACE_PEEKTEXT, _PEEKDATA, _PEEKUSER). */
    long peek(long request, int pid, long address) {
        long value = libc.ptrace(request, pid, address, 0);
        if (value == -1) {
            int errno = Native.errno(); // glibc clears errno when a peek succeeds: a word of -1 is told apart
            if (errno != 0) {
                throw new NativeException("PTRACE_PEEK", errno);
            }
        }
        return value;
    }

    void pokeUser(int pid, int offset, long value) {
        check(libc.ptrace(PTRACE_POKEUSER, pid, offset, value), "PTRACE_POKEUSER");
    }

    long[] getRegisters(int pid) {
        check(libc.ptrace(PTRACE_GETREGS, pid, 0, registers.address()), "PTRACE_GETREGS");
        long[] words = new long[registerWords];
        registers.get(0, words, 0, registerWords);
        return words;
    }

    void setRegisters(int pid, long[] words) {
        registers.put(0, words, 0, registerWords);
        check(libc.ptrace(PTRACE_SETREGS, pid, 0, registers.address()), "PTRACE_SETREGS");
    }

    /** Fills {@code buffer} with a struct ptrace_syscall_info; returns its size. */
    int syscallInfo(int pid, Pointer buffer, int size) {
        long written = libc.ptrace(PTRACE_GET_SYSCALL_INFO, pid, size, buffer.address());
        check(written, "PTRACE_GET_SYSCALL_INFO");
        return (int) written;
    }

    private boolean resume(long request, int pid, int signal) {
        if (libc.ptrace(request, pid, 0, signal) == 0) {
            return true;
        }
        int errno = Native.errno();
        if (errno == Errno.ESRCH) {
            return false; // killed while stopped: its exit is on its way to waitpid
        }
        throw new NativeException("ptrace(" + request + ", " + pid + ")", errno);
    }

    private static void check(long result, String call) {
        if (result == -1) {
            throw new NativeException(call, Native.errno());
        }
    }
}
