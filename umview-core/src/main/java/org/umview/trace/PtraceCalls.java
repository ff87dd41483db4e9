package org.umview.trace;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongConsumer;
import jnr.ffi.Pointer;
import org.umview.libc.Errno;
import org.umview.libc.Native;
import org.umview.memory.TraceeMemory;
import org.umview.memory.TraceeMemoryException;
import org.umview.process.ProcStatus;
import org.umview.syscall.SyscallRequest;

/**
 * The ptrace system call of a program of the view, answered as the kernel would answer it if
 * the program were its debuggee's only tracer: attaching (TRACEME, ATTACH, SEIZE) makes a
 * {@link Debuggee}; requests on a thread stopped for its debugger are made by the supervisor,
 * the kernel's real tracer, with the data copied between the debugger's memory and its own.
 * A process outside the view cannot be attached (EPERM); the seccomp filters of a thread
 * cannot be read (EACCES: the kernel refuses it to any tracer that runs under seccomp, as
 * every process of a view does).
 */
final class PtraceCalls {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PtraceCalls.class);
    private static final long TRACEME = 0;
    private static final long PEEKTEXT = 1;
    private static final long PEEKDATA = 2;
    private static final long PEEKUSER = Ptrace.PTRACE_PEEKUSER;
    private static final long POKETEXT = 4;
    private static final long POKEDATA = 5;
    private static final long POKEUSER = Ptrace.PTRACE_POKEUSER;
    private static final long CONT = Ptrace.PTRACE_CONT;
    private static final long KILL = 8;
    private static final long SINGLESTEP = Ptrace.PTRACE_SINGLESTEP;
    private static final long GETREGS = Ptrace.PTRACE_GETREGS;
    private static final long SETREGS = Ptrace.PTRACE_SETREGS;
    private static final long GETFPREGS = 14;
    private static final long SETFPREGS = 15;
    private static final long ATTACH = 16;
    private static final long DETACH = 17;
    private static final long SYSCALL = Ptrace.PTRACE_SYSCALL;
    private static final long SETOPTIONS = Ptrace.PTRACE_SETOPTIONS;
    private static final long GETEVENTMSG = Ptrace.PTRACE_GETEVENTMSG;
    private static final long GETSIGINFO = 0x4202;
    private static final long SETSIGINFO = 0x4203;
    private static final long GETREGSET = 0x4204;
    private static final long SETREGSET = 0x4205;
    private static final long SEIZE = Ptrace.PTRACE_SEIZE;
    private static final long INTERRUPT = Ptrace.PTRACE_INTERRUPT;
    private static final long LISTEN = Ptrace.PTRACE_LISTEN;
    private static final long PEEKSIGINFO = 0x4209;
    private static final long GETSIGMASK = 0x420a;
    private static final long SETSIGMASK = 0x420b;
    private static final long SECCOMP_GET_FILTER = 0x420c;
    private static final long SECCOMP_GET_METADATA = 0x420d;
    private static final long GET_SYSCALL_INFO = Ptrace.PTRACE_GET_SYSCALL_INFO;
    /** Every option of Linux 6 (PTRACE_O_MASK). */
    private static final long ALL_OPTIONS = 0xff | Ptrace.O_EXITKILL | 0x200000L;
    private static final int USER_REGS_SIZE = 27 * 8;
    private static final int ORIG_RAX = 15 * 8;
    private static final int USER_FPREGS_SIZE = 512;
    private static final int SIGINFO_SIZE = 128;
    private static final int REGSET_MAX = 64 * 1024;
    private static final int CAP_SYS_PTRACE = 19;

    private final Ptrace ptrace;
    private final Debugging debugging;
    private final Debugging.Host host;
    private final TraceeMemory memory;
    private final Pointer buffer = Native.allocate(REGSET_MAX);
    private final Pointer iovec = Native.allocate(16);

    PtraceCalls(Ptrace ptrace, Debugging debugging, Debugging.Host host, TraceeMemory memory) {
        this.ptrace = ptrace;
        this.debugging = debugging;
        this.host = host;
        this.memory = memory;
    }

    /** Answers {@code request}, a ptrace call of {@code caller}, with {@code answer} (the call's result or -errno). */
    void decide(Tracee caller, SyscallRequest request, LongConsumer answer) {
        long result;
        try {
            result = decide(caller, request.arg(0), (int) request.arg(1), request.arg(2), request.arg(3));
        } catch (TraceeMemoryException e) {
            result = -e.errno();
        }
        LOG.debug("tracee {}: ptrace(0x{}, {}, 0x{}, 0x{}) = {}", caller.tid, Long.toHexString(request.arg(0)), request.arg(1),
                Long.toHexString(request.arg(2)), Long.toHexString(request.arg(3)), result);
        answer.accept(result);
    }

    private long decide(Tracee caller, long op, int pid, long address, long data) {
        if (op == TRACEME) {
            return traceMe(caller);
        }
        if (op == ATTACH || op == SEIZE) {
            return attach(caller, op == SEIZE, pid, address, data);
        }
        Tracee target = host.tracee(pid);
        Debuggee debuggee = target == null ? null : target.debuggee;
        if (debuggee == null || debuggee.debugger.tgid != caller.tgid()) {
            return -Errno.ESRCH;
        }
        if (op == KILL) {
            Native.libc().tgkill(target.tgid(), pid, WaitStatus.SIGKILL);
            return 0;
        }
        if (op == INTERRUPT) {
            if (!debuggee.seized) {
                return -Errno.EIO;
            }
            if (!debuggee.stopped()) {
                debuggee.interruptWanted = true;
                ptrace.interrupt(pid);
            }
            return 0;
        }
        if (!debuggee.stopped()) {
            return -Errno.ESRCH; // as for a thread that is not in a ptrace stop
        }
        return switch ((int) op) {
            case (int) CONT, (int) SYSCALL, (int) SINGLESTEP -> resume(debuggee, op, data);
            case (int) DETACH -> {
                if (data < 0 || data > 64) {
                    yield -Errno.EIO;
                }
                debugging.detach(target, (int) data);
                yield 0;
            }
            case (int) LISTEN -> listen(debuggee);
            case (int) PEEKTEXT, (int) PEEKDATA, (int) PEEKUSER -> peek(caller, debuggee, op, address, data);
            case (int) POKETEXT, (int) POKEDATA, (int) POKEUSER -> ptrace.raw(op, pid, address, data);
            case (int) GETREGS -> get(caller, debuggee, op, 0, data, USER_REGS_SIZE);
            case (int) GETFPREGS -> get(caller, debuggee, op, 0, data, USER_FPREGS_SIZE);
            case (int) GETSIGINFO -> get(caller, debuggee, op, 0, data, SIGINFO_SIZE);
            case (int) GETSIGMASK -> address != 8 ? -Errno.EINVAL : get(caller, debuggee, op, address, data, 8);
            case (int) SETREGS -> set(caller, pid, op, 0, data, USER_REGS_SIZE);
            case (int) SETFPREGS -> set(caller, pid, op, 0, data, USER_FPREGS_SIZE);
            case (int) SETSIGINFO -> set(caller, pid, op, 0, data, SIGINFO_SIZE);
            case (int) SETSIGMASK -> address != 8 ? -Errno.EINVAL : set(caller, pid, op, address, data, 8);
            case (int) GETREGSET, (int) SETREGSET -> regset(caller, pid, op, address, data);
            case (int) GETEVENTMSG -> {
                memory.write(caller.tid, data, longBytes(debuggee.eventMessage));
                yield 0;
            }
            case (int) SETOPTIONS -> {
                if ((data & ~ALL_OPTIONS) != 0) {
                    yield -Errno.EINVAL;
                }
                debuggee.options = data;
                ptrace.setOptions(pid, data & (Ptrace.O_TRACEEXIT | Ptrace.O_TRACEVFORKDONE));
                yield 0;
            }
            case (int) GET_SYSCALL_INFO -> syscallInfo(caller, pid, address, data);
            case (int) PEEKSIGINFO -> peekSiginfo(caller, pid, address, data);
            case (int) SECCOMP_GET_FILTER, (int) SECCOMP_GET_METADATA -> -Errno.EACCES;
            default -> -Errno.EIO;
        };
    }

    /** The caller's parent traces it from now on, if that parent is a process of the view. */
    private long traceMe(Tracee caller) {
        if (caller.debuggee != null) {
            return -Errno.EPERM;
        }
        int parent = ProcStatus.parent(caller.tid);
        if (host.tracee(parent) == null) {
            return -Errno.EPERM; // outside the view (the view's first process has umview for parent)
        }
        debugging.attach(caller, parent, false, 0);
        return 0;
    }

    private long attach(Tracee caller, boolean seize, int pid, long address, long data) {
        if (seize && address != 0) {
            return -Errno.EIO;
        }
        if (seize && (data & ~ALL_OPTIONS) != 0) {
            return -Errno.EINVAL;
        }
        Tracee target = pid > 0 ? host.tracee(pid) : null;
        if (target == null) {
            return pid > 0 && Files.exists(Path.of("/proc/" + pid)) ? -Errno.EPERM : -Errno.ESRCH;
        }
        if (target.tgid() == caller.tgid() || target.debuggee != null || !mayAttach(caller.tid, target)) {
            return -Errno.EPERM;
        }
        debugging.attach(target, caller.tgid(), seize, seize ? data : 0);
        if (target.inGroupStop) {
            ptrace.interrupt(pid); // it traps again, and its debugger sees the group-stop it is in
        } else if (!seize) {
            debugging.stopSent(target);
        }
        return 0;
    }

    /**
     * The kernel's check for attaching (__ptrace_may_access), as far as it tells apart processes
     * of a view: the same real user and group as every id of the target, or CAP_SYS_PTRACE; and
     * YAMA's ptrace_scope where the host has it (1: only descendants, 2: only with the capability, 3: never).
     */
    private static boolean mayAttach(int callerTid, Tracee target) {
        boolean capable = (ProcStatus.effectiveCapabilities(callerTid) & (1L << CAP_SYS_PTRACE)) != 0;
        int scope = yamaScope();
        if (scope >= 3 || (scope == 2 && !capable)) {
            return false;
        }
        if (scope == 1 && !capable && !descends(target.tgid(), ProcStatus.tgid(callerTid))) {
            return false;
        }
        return capable || (sameIds(ProcStatus.ids(callerTid, "Uid:"), ProcStatus.ids(target.tid, "Uid:"))
                && sameIds(ProcStatus.ids(callerTid, "Gid:"), ProcStatus.ids(target.tid, "Gid:")));
    }

    private static boolean sameIds(int[] caller, int[] target) {
        if (caller.length == 0 || target.length < 3) {
            return false;
        }
        for (int i = 0; i < 3; i++) {
            if (target[i] != caller[0]) {
                return false;
            }
        }
        return true;
    }

    private static boolean descends(int tgid, int ancestor) {
        for (int pid = tgid, hops = 0; pid > 1 && hops < 4096; pid = ProcStatus.parent(pid), hops++) {
            if (pid == ancestor) {
                return true;
            }
        }
        return false;
    }

    private static int yamaScope() {
        try {
            return Integer.parseInt(Files.readString(Path.of("/proc/sys/kernel/yama/ptrace_scope")).strip());
        } catch (java.io.IOException | NumberFormatException e) {
            return 0; // no YAMA
        }
    }

    private long resume(Debuggee debuggee, long op, long signal) {
        if (signal < 0 || signal > 64) {
            return -Errno.EIO;
        }
        long mode = op == CONT ? Ptrace.PTRACE_CONT : op == SYSCALL ? Ptrace.PTRACE_SYSCALL : Ptrace.PTRACE_SINGLESTEP;
        debugging.resumeFromStop(debuggee, mode, (int) signal);
        return 0;
    }

    /** PTRACE_LISTEN: a seized thread in a PTRACE_EVENT_STOP stays stopped, and traps again when that stop ends. */
    private long listen(Debuggee debuggee) {
        if (!debuggee.seized || (debuggee.stop >> 8) != WaitStatus.EVENT_STOP) {
            return -Errno.EIO;
        }
        debuggee.interruptWanted = true;
        debuggee.stop = 0;
        debuggee.debugger.forget(debuggee.tid);
        debuggee.resumption = null;
        return ptrace.listen(debuggee.tid) ? 0 : -Errno.ESRCH;
    }

    private long peek(Tracee caller, Debuggee debuggee, long op, long address, long data) {
        long word;
        try {
            word = ptrace.peek(op, debuggee.tid, address);
        } catch (org.umview.libc.NativeException e) {
            return -e.errno();
        }
        if (op == PEEKUSER && address == ORIG_RAX && debuggee.answeredNumber >= 0) {
            word = debuggee.answeredNumber;
        }
        memory.write(caller.tid, data, longBytes(word));
        return 0;
    }

    /** A request that fills {@code size} bytes: made into the supervisor's buffer, then copied to the debugger's {@code data}. */
    private long get(Tracee caller, Debuggee debuggee, long op, long address, long data, int size) {
        long result = ptrace.raw(op, debuggee.tid, address, buffer.address());
        if (result < 0) {
            return result;
        }
        byte[] bytes = new byte[size];
        buffer.get(0, bytes, 0, size);
        if (op == GETREGS && debuggee.answeredNumber >= 0) {
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(ORIG_RAX, debuggee.answeredNumber);
        }
        memory.write(caller.tid, data, bytes);
        return result;
    }

    /** A request that reads {@code size} bytes: copied from the debugger's {@code data} first. */
    private long set(Tracee caller, int pid, long op, long address, long data, int size) {
        byte[] bytes = memory.read(caller.tid, data, size);
        buffer.put(0, bytes, 0, size);
        return ptrace.raw(op, pid, address, buffer.address());
    }

    /** PTRACE_GETREGSET/SETREGSET: {@code data} is the debugger's struct iovec, whose length the kernel updates. */
    private long regset(Tracee caller, int pid, long op, long type, long data) {
        ByteBuffer vector = ByteBuffer.wrap(memory.read(caller.tid, data, 16)).order(ByteOrder.LITTLE_ENDIAN);
        long base = vector.getLong(0);
        int length = (int) Math.min(Math.max(vector.getLong(8), 0), REGSET_MAX);
        if (op == SETREGSET) {
            buffer.put(0, memory.read(caller.tid, base, length), 0, length);
        }
        iovec.putLong(0, buffer.address());
        iovec.putLong(8, length);
        long result = ptrace.raw(op, pid, type, iovec.address());
        if (result < 0) {
            return result;
        }
        long filled = iovec.getLong(8);
        if (op == GETREGSET) {
            byte[] bytes = new byte[(int) filled];
            buffer.get(0, bytes, 0, bytes.length);
            memory.write(caller.tid, base, bytes);
            memory.write(caller.tid, data + 8, longBytes(filled));
        }
        return result;
    }

    /** PTRACE_GET_SYSCALL_INFO: {@code size} bytes at most are copied; the result is the size of the whole. */
    private long syscallInfo(Tracee caller, int pid, long size, long data) {
        long whole = ptrace.raw(GET_SYSCALL_INFO, pid, 256, buffer.address());
        if (whole < 0) {
            return whole;
        }
        int copied = (int) Math.min(Math.max(size, 0), whole);
        byte[] bytes = new byte[copied];
        buffer.get(0, bytes, 0, copied);
        memory.write(caller.tid, data, bytes);
        return whole;
    }

    /** PTRACE_PEEKSIGINFO: {@code address} is struct ptrace_peeksiginfo_args {u64 off; u32 flags; s32 nr}. */
    private long peekSiginfo(Tracee caller, int pid, long address, long data) {
        byte[] arguments = memory.read(caller.tid, address, 16);
        int wanted = ByteBuffer.wrap(arguments).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
        int count = Math.max(0, Math.min(wanted, REGSET_MAX / SIGINFO_SIZE));
        ByteBuffer.wrap(arguments).order(ByteOrder.LITTLE_ENDIAN).putInt(12, count);
        buffer.put(0, arguments, 0, 16);
        long found = ptrace.raw(PEEKSIGINFO, pid, buffer.address(), buffer.address() + 16);
        if (found > 0) {
            byte[] bytes = new byte[(int) found * SIGINFO_SIZE];
            buffer.get(16, bytes, 0, bytes.length);
            memory.write(caller.tid, data, bytes);
        }
        return found;
    }

    private static byte[] longBytes(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value).array();
    }
}
