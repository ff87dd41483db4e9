package org.umview.trace;

import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.concurrent.TimeUnit;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umview.calllog.CallLog;
import org.umview.dispatch.ControlChannel;
import org.umview.dispatch.Dispatcher;
import org.umview.dispatch.Verdict;
import org.umview.launch.ShimLauncher;
import org.umview.libc.Errno;
import org.umview.libc.LibC;
import org.umview.libc.Links;
import org.umview.libc.Native;
import org.umview.libc.Pidfds;
import org.umview.libc.NativeException;
import org.umview.memory.TraceeMemory;
import org.umview.memory.TraceeMemoryException;
import org.umview.libc.ProcessControl;
import org.umview.process.Service;
import org.umview.process.SignalState;
import org.umview.process.VirtualFile;
import org.umview.seccomp.SeccompFilter;
import org.umview.seccomp.TrapSet;
import org.umview.syscall.Architecture;
import org.umview.syscall.SyscallRequest;
import org.umview.view.ViewNode;

/**
 * The tracer loop: one platform thread that starts the view, owns every ptrace request, waits
 * for every stop and resumes every tracee. Trapped calls are handed to the {@link Dispatcher};
 * everything else (forks, execs, signals, job control) is carried through so that the view
 * behaves as the same programs would outside it.
 *
 * <p>Nothing here may end the thread by an exception: with PTRACE_O_EXITKILL that would kill
 * the whole view. A failure on one stop is logged and that tracee is resumed.
 */
public final class Tracer {
    private static final Logger LOG = LoggerFactory.getLogger(Tracer.class);

    /** How long the tracer polls for the next stop before it sleeps (-Dumview.spin=MICROSECONDS). */
    private static final long SPIN_NANOS = Long.getLong("umview.spin", 30) * 1000;
    private static final int WNOHANG = 1;
    /** Reports the doorbell's stop; ptrace stops are reported without it. */
    private static final int WUNTRACED = 2;
    private static final int WALL = 0x40000000;
    private static final int WNOTHREAD = 0x20000000;
    private static final int SIGKILL = 9;
    private static final int SIGTERM = 15;
    private static final int SIGCONT = 18;
    private static final long CLONE_VM = 0x100;
    private static final long SECCOMP_SET_MODE_FILTER = 1;
    private static final long SECCOMP_FILTER_FLAG_TSYNC = 1;
    private static final long SECCOMP_FILTER_FLAG_SPEC_ALLOW = 4;
    private static final long SECCOMP_FILTER_FLAG_NEW_LISTENER = 8;
    private static final long SECCOMP_FILTER_FLAG_TSYNC_ESRCH = 16;
    /** Once the listener has a call, only a fatal signal ends the caller's wait (Linux 5.19). */
    private static final long SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV = 32;
    /** A call answered with this is made again by the kernel, whatever signals come. */
    static final int ERESTARTNOINTR = 513;
    private static final long CLONE_VFORK = 0x4000;
    private static final long WATCH_MILLIS = 50;
    /** What {@link #poll} says when no stop came but work of another thread is ready. */
    private static final int WORK_QUEUED = Integer.MIN_VALUE;
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    private static final long ERESTARTSYS = 512;

    private final Architecture arch;
    private final Dispatcher dispatcher;
    private final ShimLauncher launcher;
    private final CallLog callLog;
    private final TraceeTable tracees = new TraceeTable();
    private final SyscallDecoder decoder;
    private final int clone3;
    private final TraceeMemory memory = new TraceeMemory();
    private Ptrace ptrace;
    private SyscallInjector injector;
    private Doorbell doorbell;
    /** Whether this thread sleeps in waitpid: only then must work of other threads ring the doorbell. */
    private volatile boolean asleep;
    /** Verdicts made on other threads, carried out on this one between stops. */
    private final java.util.Queue<Runnable> completed = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Tracees stopped in a call whose answer is being worked out elsewhere, and how to cut that work short. */
    private final java.util.Map<Integer, Runnable> waiting = new java.util.concurrent.ConcurrentHashMap<>();
    /** The calls every process of the view traps now (filters only ever add). */
    private TrapSet installedTraps;
    /** The part of them a listener may take, when the interception notifies (else empty). */
    private TrapSet notifiable;
    private static final java.util.List<String> NEVER_INTERRUPTED = java.util.List.of("stat", "lstat", "newfstatat", "statx",
            "access", "faccessat", "faccessat2", "readlink", "readlinkat", "chdir", "chmod", "fchmodat", "chown", "lchown",
            "fchownat", "utimes", "utimensat", "futimesat", "mkdir", "mkdirat", "rmdir", "unlink", "unlinkat", "rename",
            "renameat", "renameat2", "link", "linkat", "symlink", "symlinkat", "truncate", "statfs", "getxattr", "lgetxattr",
            "listxattr", "llistxattr", "setxattr", "lsetxattr", "removexattr", "lremovexattr");
    /** Notified calls the kernel itself never ends with -ERESTARTSYS (see {@link #restartUninterruptible}). */
    private final java.util.BitSet neverInterrupted = new java.util.BitSet();
    private volatile Thread thread;
    /** Held while the view's state is read or changed: by this thread at each stop, by listeners' threads per call. */
    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
    private final Interception interception;
    private final NotifiedCalls notified;
    /** ptrace for the view's own debuggers; made with the tracer's Ptrace. */
    private Debugging debugging;
    private PtraceCalls ptraceCalls;
    private DebuggerWaits debuggerWaits;
    private SignalWaits signalWaits;
    private int ptraceNumber;

    /**
     * @param dispatcher makes the dispatcher, given what it may ask of the tracer
     * @param callLog where {@code --trace} goes; null when not tracing
     */
    public Tracer(Architecture arch, Function<ControlChannel.ViewControl, Dispatcher> dispatcher, ShimLauncher launcher,
            CallLog callLog) {
        this.arch = arch;
        this.dispatcher = dispatcher.apply(new Control());
        this.launcher = launcher;
        this.callLog = callLog;
        this.decoder = new SyscallDecoder(arch.syscalls());
        this.clone3 = arch.syscalls().number("clone3");
        this.interception = Interception.chosen();
        this.notified = new NotifiedCalls(lock, tracees, arch.syscalls(), new Carrier(), callLog);
        for (String name : NEVER_INTERRUPTED) {
            neverInterrupted.set(arch.syscalls().number(name));
        }
    }

    /**
     * Runs {@code command} in a new view on the calling thread, which must be a platform
     * thread that lives until this returns, and returns when the view's last process is gone.
     */
    public ViewOutcome run(List<String> command) {
        thread = Thread.currentThread();
        ptrace = new Ptrace(arch.registerWords());
        injector = new SyscallInjector(arch, ptrace);
        Debugging.Host host = new DebuggingHost();
        debugging = new Debugging(ptrace, host);
        ptraceCalls = new PtraceCalls(ptrace, debugging, host, memory);
        debuggerWaits = new DebuggerWaits(arch, ptrace, memory, debugging);
        ptraceNumber = arch.syscalls().number("ptrace");
        signalWaits = new SignalWaits(arch, ptrace, memory);
        installedTraps = dispatcher.trappedSyscalls().addAll(signalWaits.traps());
        notifiable = notifiable();
        ShimLauncher.Spawned shim = seized(launcher.spawn(command));
        Tracee root = tracees.root(shim.pid());
        doorbell = Doorbell.start(launcher);
        watchSignals();
        release(shim, root);
        return loop(shim.pid());
    }

    /**
     * Lets a seized shim install the view's filter and run its command. Calls that only need
     * deciding go to a listener of the supervisor's when the interception allows it.
     */
    private void release(ShimLauncher.Spawned shim, Tracee tracee) {
        SeccompFilter filter = SeccompFilter.of(arch.auditArch(), installedTraps, notifiable);
        tracee.listenerExpected = filter.notifies();
        launcher.release(shim, filter.toBytes(), filter.notifies());
    }

    /**
     * A tracee stopped in a call that waits on a module never sees the signals sent to it, so a
     * thread looks for them and interrupts the module's work: the call ends with EINTR and the
     * signal is delivered, as for a blocking call of the kernel's. Looks only while some wait.
     */
    private void watchSignals() {
        Thread watcher = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(WATCH_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                waiting.forEach((tid, interrupt) -> {
                    if (SignalState.interrupting(tid)) {
                        interrupt.run();
                    }
                });
            }
        }, "umview-signal-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /**
     * Ends the view from another thread (umview got SIGTERM or SIGINT): its programs get
     * SIGTERM, and SIGKILL if still there after {@code grace}. Programs serving mounts are not
     * signalled at first: once the programs are gone, their mounts end as at any view's end
     * (a FUSE program writes what it keeps, then is stopped); a second signal while it wrote
     * its image would kill it, since it sets its handlers back before writing. Whatever is left
     * after a second {@code grace} gets SIGKILL.
     */
    public void terminate(long grace, TimeUnit unit) {
        LibC libc = Native.libc();
        signalPrograms(libc, SIGTERM);
        if (!awaitEnd(grace, unit)) {
            signalPrograms(libc, SIGKILL);
            awaitEnd(grace, unit);
        }
        for (int tid : tracees.liveIds()) {
            libc.kill(tid, SIGKILL);
        }
    }

    private void signalPrograms(LibC libc, int signal) {
        for (int tid : programs()) {
            libc.kill(tid, signal);
            libc.kill(tid, SIGCONT);
        }
    }

    /** The view's programs; every live thread if the tracer holds its lock too long (stuck in a module's call). */
    private Set<Integer> programs() {
        try {
            if (lock.tryLock(1, TimeUnit.SECONDS)) {
                try {
                    return tracees.programIds();
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return tracees.liveIds();
    }

    /** Waits for the tracer's loop to end; false if it did not within the time given. */
    private boolean awaitEnd(long grace, TimeUnit unit) {
        Thread tracer = thread;
        if (tracer == null) {
            return true;
        }
        try {
            tracer.join(unit.toMillis(grace));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !tracer.isAlive();
    }

    private ViewOutcome loop(int rootPid) {
        LibC libc = Native.libc();
        Pointer status = Native.allocate(4);
        ViewOutcome outcome = null;
        boolean stopsComeFast = true;
        while (true) {
            lock.lock();
            try {
                carryOutCompleted();
            } finally {
                lock.unlock();
            }
            int pid = stopsComeFast ? poll(libc, status) : 0;
            if (pid == WORK_QUEUED) {
                continue;
            }
            if (pid == 0) {
                // Work finished on another thread rings the doorbell only while this sleeps.
                asleep = true;
                if (!completed.isEmpty()) {
                    asleep = false;
                    continue;
                }
                long sleptAt = System.nanoTime();
                pid = libc.waitpid(-1, status, WALL | WNOTHREAD | WUNTRACED);
                asleep = false;
                // A sleeping tracer sees a gap stretched by its own wake-up: a few polls' worth is "fast".
                stopsComeFast = System.nanoTime() - sleptAt < 4 * SPIN_NANOS;
            }
            if (pid < 0) {
                int errno = Native.errno();
                if (errno == Errno.EINTR) {
                    continue;
                }
                if (errno == Errno.ECHILD) {
                    break; // the view's last process is gone
                }
                throw new NativeException("waitpid", errno);
            }
            int word = status.getInt(0);
            lock.lock();
            try {
                outcome = onWait(pid, word, rootPid, outcome);
            } finally {
                lock.unlock();
            }
        }
        return outcome != null ? outcome : ViewOutcome.killed(SIGKILL);
    }

    /** Handles what waitpid reported for {@code pid}; returns the view's outcome once its first process is gone. */
    private ViewOutcome onWait(int pid, int word, int rootPid, ViewOutcome outcome) {
        LibC libc = Native.libc();
        {
            if (pid == doorbell.pid()) {
                if (WaitStatus.stopped(word)) {
                    carryOutCompleted();
                    libc.kill(pid, SIGCONT);
                }
            } else if (WaitStatus.stopped(word)) {
                onStop(pid, word);
            } else {
                Tracee gone = tracees.exited(pid);
                if (gone != null && gone.deferredRewrite != null) {
                    gone.deferredRewrite.drop(Errno.ESRCH);
                }
                if (gone != null && gone.handoff != null) {
                    gone.handoff.drop(Errno.ESRCH);
                    gone.handoff = null;
                }
                if (gone != null) {
                    debugging.exited(gone, word);
                }
                if (gone != null && gone.tid == gone.tgid() && gone.process.service() != null) {
                    gone.process.service().processExited(word);
                }
                // The views it leaves empty (and those they were split from) are collected;
                // programs serving their mounts are told to end then.
                for (ViewNode left = gone == null ? null : viewOf(gone); left != null && !tracees.anyIn(left);
                        left = left.parent()) {
                    dispatcher.viewEmptied(left);
                }
                if (tracees.anyHeld()) {
                    tracees.orphansOfDeadCreators().forEach(orphan -> resume(orphan, 0));
                }
                if (pid == rootPid) {
                    outcome = WaitStatus.exited(word) ? ViewOutcome.exited(WaitStatus.exitCode(word))
                            : ViewOutcome.killed(WaitStatus.termSignal(word));
                }
                if (tracees.isEmpty()) {
                    doorbell.close(); // the view is over: once the bell is reaped, waitpid says ECHILD
                }
            }
        }
        return outcome;
    }

    private ViewNode viewOf(Tracee tracee) {
        return tracee.process.view() != null ? tracee.process.view() : dispatcher.rootView();
    }

    /**
     * Looks for a stop for a little while before sleeping in waitpid. On a VM a sleeping CPU
     * is woken by an interrupt that costs tens of microseconds, paid twice a stop when tracer
     * and tracee sit on different CPUs; a tracer still awake sees a path-heavy tracee's next
     * stop at once. It polls only while stops come that fast: between the sparse stops of
     * fork and exec the polling CPU would only be taken from the traced programs. Returns 0
     * when nothing came, {@link #WORK_QUEUED} when work of another thread is ready.
     */
    private int poll(LibC libc, Pointer status) {
        long until = System.nanoTime() + SPIN_NANOS;
        while (System.nanoTime() < until) {
            int pid = libc.waitpid(-1, status, WALL | WNOTHREAD | WUNTRACED | WNOHANG);
            if (pid != 0) {
                return pid;
            }
            if (!completed.isEmpty()) {
                return WORK_QUEUED;
            }
            Thread.onSpinWait();
        }
        return 0;
    }

    private void onStop(int tid, int status) {
        Tracee tracee = tracees.get(tid);
        try {
            dispatchStop(tracee, status);
        } catch (RuntimeException e) {
            LOG.error("tracee {}: stop 0x{} not handled", tid, Integer.toHexString(status), e);
            ptrace.cont(tid, 0);
        }
    }

    private void dispatchStop(Tracee tracee, int status) {
        int tid = tracee.tid;
        int signal = WaitStatus.stopSignal(status);
        tracee.inGroupStop = false;
        switch (WaitStatus.event(status)) {
            // A call of the supervisor's injected at a stop passes the filter after its entry
            // stop (seccomp itself is trapped): it is on its way to its exit, not decided.
            case WaitStatus.EVENT_SECCOMP -> {
                if (tracee.atSyscallExit != null) {
                    ptrace.toSyscallExit(tid);
                } else {
                    onSyscallEntry(tracee);
                }
            }
            case WaitStatus.EVENT_FORK, WaitStatus.EVENT_VFORK, WaitStatus.EVENT_CLONE -> {
                int child = (int) ptrace.eventMessage(tid);
                Tracee waiting = tracees.announced(child, tracee, cloneFlags(tid, WaitStatus.event(status)));
                if (tracees.liveIds().contains(child)) {
                    debugging.created(tracee, tracees.get(child), WaitStatus.event(status));
                }
                if (waiting != null) {
                    if (waiting.pendingTraps != null) {
                        installTraps(waiting, waiting.pendingTraps, true);
                    } else {
                        resume(waiting, 0);
                    }
                }
                if (tracee.atSyscallExit != null) {
                    ptrace.toSyscallExit(tid); // the call's exit is awaited (--trace logs it): PTRACE_CONT would skip it
                } else {
                    resume(tracee, 0);
                }
            }
            case WaitStatus.EVENT_EXEC -> {
                int formerTid = (int) ptrace.eventMessage(tid);
                Tracee execed = tracees.execed(tid, formerTid);
                execed.scratch = 0; // a new address space
                execed.atSyscallExit = null; // what the old image's call would have restored is gone with it
                if (dispatcher.clockServed()) {
                    Vdso.hide(memory, tid, ptrace.getRegisters(tid)[arch.stackPointerRegister()]);
                }
                execed.process.execed(fd -> VirtualFile.placeholderLink(Links.readlink("/proc/" + tid + "/fd/" + fd)));
                debugging.execed(execed, formerTid);
                TrapSet more = dispatcher.execed(execed.process, Links.readlink("/proc/" + tid + "/exe"));
                if (more != null) {
                    execed.pend(more);
                }
                if (execed.pendingTraps != null) {
                    // Not at this stop: execve has yet to return, and an injected call would be
                    // taken for its exit. At the exit the tracee is between calls.
                    execed.atSyscallExit = result -> installTraps(execed, execed.pendingTraps, true);
                    ptrace.toSyscallExit(tid);
                } else {
                    resume(execed, 0);
                }
            }
            case WaitStatus.EVENT_STOP -> {
                LOG.debug("tracee {}: ptrace stop, signal {}", tid, signal);
                if (WaitStatus.isJobControlStop(signal)) {
                    debugging.wakeAll(); // a debugger waiting for its child may see it stopped now
                    if (!debugging.groupStop(tracee, signal)) {
                        tracee.inGroupStop = true;
                        ptrace.listen(tid); // group-stop: stay stopped, as without a tracer
                    }
                } else if (!tracee.announced) {
                    tracee.held = true; // a new thread: it must not run before its state is known
                } else if (tracee.entryStopExpected || tracee.atSyscallExit != null) {
                    ptrace.toSyscallExit(tid); // an injected call is on its way: let it finish first
                } else if (tracee.handoff != null && !tracee.handoff.atEntry && takeOver(tracee)) {
                    return; // the notified call is made again, under PTRACE_SYSCALL
                } else if (tracee.pendingTraps != null) {
                    installTraps(tracee, tracee.pendingTraps, true);
                } else {
                    debugging.interrupted(tracee);
                    resume(tracee, 0); // a new tracee's first stop, or a SIGCONT wake-up
                }
            }
            case 0 -> {
                if (signal == WaitStatus.SYSCALL_STOP && tracee.handoff != null && tracee.handoff.atEntry) {
                    enterHandedOff(tracee);
                } else if (signal == WaitStatus.SYSCALL_STOP && !tracee.entryStopExpected && tracee.atSyscallExit == null
                        && tracee.debuggee != null && debuggersSyscallStop(tracee)) {
                    return; // the debugger's: it resumed the thread with PTRACE_SYSCALL
                } else if (signal == WaitStatus.SYSCALL_STOP) {
                    onSyscallExit(tracee);
                } else if (tracee.entryStopExpected) {
                    LOG.debug("tracee {}: signal {} deferred past an injected call", tid, signal);
                    tracee.deferredSignals.add(signal);
                    ptrace.toSyscallExit(tid);
                } else {
                    LOG.debug("tracee {}: signal {}", tid, signal);
                    if (tracee.handoff != null) {
                        // The handler runs first; the call is made again after it and decided anew.
                        tracee.handoff.drop(Errno.EINTR);
                        tracee.handoff = null;
                    }
                    // What the signal interrupted, read once for both policies (a debugger's thread
                    // on ptrace alone has neither).
                    long[] regs = interception.notifies() || tracee.debuggee == null ? ptrace.getRegisters(tid) : null;
                    restartUninterruptible(tracee, regs);
                    if (tracee.debuggee == null && signalWaits.remade(tracee, signal, regs)) {
                        ptrace.cont(tid, 0);
                    } else if (!debugging.signalStop(tracee, signal)) {
                        ptrace.cont(tid, signal); // signal-delivery-stop: deliver it
                    }
                }
            }
            default -> {
                if (WaitStatus.event(status) == WaitStatus.EVENT_EXIT || WaitStatus.event(status) == WaitStatus.EVENT_VFORK_DONE) {
                    debugging.event(tracee, WaitStatus.event(status));
                }
                resume(tracee, 0);
            }
        }
    }

    private void onSyscallEntry(Tracee tracee) {
        if (tracee.pendingTraps != null) {
            installTraps(tracee, tracee.pendingTraps, false); // the call is made again afterwards
            return;
        }
        SyscallRequest request = decoder.atSeccompStop(ptrace, tracee);
        if (tracee.listenerExpected && request.number() == ControlChannel.SYSCALL_NUMBER
                && request.arg(0) == ControlChannel.OP_LISTENER) {
            tracee.listenerExpected = false;
            int taken = adoptListener(tracee, (int) request.arg(1));
            // Answered unlogged (the shim's call, not the command's); a listener the supervisor
            // could not take would fail every notified call, so the shim gives up then.
            ptrace.pokeUser(tracee.tid, arch.syscallNumberOffset(), -1);
            ptrace.pokeUser(tracee.tid, arch.returnValueOffset(), taken);
            resume(tracee, 0);
            return;
        }
        tracee.remade = false; // the call made again is here
        if (tracee.debuggee != null && debugging.seccompStop(tracee, request, arch.auditArch(), () -> enter(tracee))) {
            return;
        }
        enter(tracee, request);
    }

    /**
     * A call entering, after its debugger's seccomp stop: decided as the debugger left it. One
     * the debugger skipped (its number set to -1, its result its own: a supervisor nested in the
     * view does so) is the kernel's to skip.
     */
    private void enter(Tracee tracee) {
        SyscallRequest request = decoder.atSeccompStop(ptrace, tracee);
        if (request.number() < 0 || request.number() > arch.syscalls().highest()) {
            resume(tracee, 0);
        } else {
            enter(tracee, request);
        }
    }

    private void enter(Tracee tracee, SyscallRequest request) {
        if (request.number() == ptraceNumber) {
            ptraceCalls.decide(tracee, request, value -> answer(tracee, request, value));
            return;
        }
        if (debuggerWaits.isWait(request.number()) && debuggerWaits.decides(tracee, request, value -> answer(tracee, request, value))) {
            return;
        }
        if (signalWaits.decides(request.number())) {
            carryOut(tracee, request, signalWaits.entered(tracee, request));
            return;
        }
        Tracee.DeferredRewrite deferred = tracee.deferredRewrite;
        if (deferred != null) {
            tracee.deferredRewrite = null;
            if (deferred.sameCall(request)) {
                carryOut(tracee, request, deferred.rewrite());
                return;
            }
            deferred.drop(Errno.EINTR); // a signal handler's call came first
        }
        carryOut(tracee, request, decide(request));
    }

    private void carryOut(Tracee tracee, SyscallRequest request, Verdict verdict) {
        if (verdict instanceof Verdict.Pending pending) {
            waiting.put(tracee.tid, pending.interrupt());
            pending.verdict().whenComplete((done, failure) -> {
                waiting.remove(tracee.tid, pending.interrupt());
                Verdict last = LateVerdict.of(done, failure, request);
                post(() -> finish(tracee, request, last));
            });
        } else if (verdict instanceof Verdict.Result result) {
            answer(tracee, request, result.value());
        } else if (verdict instanceof Verdict.Rewrite rewrite) {
            rewrite(tracee, request, rewrite);
        } else if (verdict instanceof Verdict.Descriptor descriptor) {
            rewrite(tracee, request, descriptor.elsewhere()); // no listener to place it at a stop
        } else if (verdict instanceof Verdict.Prepare prepare) {
            prepare(tracee, request, prepare.preparation());
        } else if (verdict instanceof Verdict.Again) {
            carryOut(tracee, request, decide(request));
        } else if (callLog != null) {
            String call = callLog.describe(request);
            tracee.atSyscallExit = value -> callLog.finished(call, value, null);
            ptrace.toSyscallExit(tracee.tid);
        } else {
            resume(tracee, 0);
        }
    }

    /**
     * Takes a copy of the listener {@code tracee} has as its descriptor {@code fd} (-errno: it
     * has none) and serves it; 0, or -errno if there is one the supervisor could not take.
     */
    private int adoptListener(Tracee tracee, int fd) {
        if (fd < 0) {
            // The shim made its notified calls traced calls instead.
            LOG.warn("process {} has no listener ({}): its path calls stop with ptrace", tracee.tid, -fd);
            return 0;
        }
        int copy = Pidfds.copyOf(tracee.tgid(), fd);
        if (copy < 0) {
            int errno = Native.errno();
            LOG.error("cannot take the listener of process {} (pidfd_getfd: errno {})", tracee.tid, errno);
            return -errno;
        }
        tracee.process.chain().setListened();
        notified.listen(new org.umview.seccomp.Listener(copy), tracee.tid);
        return 0;
    }

    /**
     * At the stop its interrupt caused, a tracee whose notified call was handed over is still
     * at that call (the kernel broke off its wait with ERESTARTSYS): it is made to enter the call
     * again under PTRACE_SYSCALL, where the verdict is carried out. False, and the handoff
     * dropped, if it is elsewhere (a signal took the call away first).
     */
    private boolean takeOver(Tracee tracee) {
        NotifiedCalls.Handoff handoff = tracee.handoff;
        long[] regs = ptrace.getRegisters(tracee.tid);
        boolean atCall = regs[arch.syscallNumberRegister()] == handoff.request.number()
                && (regs[arch.returnRegister()] == -ERESTARTSYS || regs[arch.returnRegister()] == -ERESTARTNOINTR);
        for (int i = 0; atCall && i < 6; i++) {
            atCall = regs[arch.argumentRegister(i)] == handoff.request.arg(i);
        }
        if (!atCall) {
            tracee.handoff = null;
            handoff.drop(Errno.EINTR);
            return false;
        }
        regs[arch.instructionPointerRegister()] -= arch.syscallInstructionLength();
        regs[arch.returnRegister()] = handoff.request.number();
        regs[arch.syscallNumberRegister()] = -1; // no restart of the kernel's on top of this one
        ptrace.setRegisters(tracee.tid, regs);
        handoff.atEntry = true;
        ptrace.toSyscallExit(tracee.tid); // PTRACE_SYSCALL: the next stop is the call's entry
        return true;
    }

    /**
     * A syscall-stop of a thread its debugger resumed with PTRACE_SYSCALL. The exit of a
     * notified call whose wait the supervisor broke off to take it over is that interrupt's
     * stop (any trap clears a pending PTRACE_INTERRUPT): taken over here, unseen by the
     * debugger, which saw the call's entry and will see its exit once it is carried out.
     */
    private boolean debuggersSyscallStop(Tracee tracee) {
        if (tracee.handoff != null && !tracee.handoff.atEntry && debugging.atCallExit(tracee) && takeOver(tracee)) {
            return true;
        }
        return debugging.syscallStop(tracee);
    }

    /** The entry of a call taken over from a listener: its verdict is carried out as at a seccomp stop. */
    private void enterHandedOff(Tracee tracee) {
        NotifiedCalls.Handoff handoff = tracee.handoff;
        tracee.handoff = null;
        SyscallRequest now = decoder.atSeccompStop(ptrace, tracee);
        if (now.number() != handoff.request.number() || !java.util.Arrays.equals(now.args(), handoff.request.args())) {
            handoff.drop(Errno.EINTR);
            resume(tracee, 0);
            return;
        }
        if (handoff.verdict == Verdict.AGAIN && debugging.seccompStop(tracee, now, arch.auditArch(),
                () -> carryOutHandedOff(tracee, now, decide(now)))) {
            return; // taken from the listener for its debugger's seccomp stop, decided once that is over
        }
        carryOutHandedOff(tracee, handoff.request, handoff.verdict);
    }

    private void carryOutHandedOff(Tracee tracee, SyscallRequest request, Verdict verdict) {
        // A call the kernel is to run as it is passes the filter again after this stop: its listener lets it through.
        tracee.passNext = verdict instanceof Verdict.Continue;
        carryOut(tracee, request, verdict);
    }

    /**
     * A signal that ended a notified call's wait for its answer leaves -ERESTARTSYS, which a
     * handler without SA_RESTART turns into EINTR; a call the kernel never interrupts (a stat,
     * an unlink: nothing of it ran yet) is made again after the handler instead, as natively
     * it would have been made before the signal. Opens are left alone: one the kernel ran may
     * have been interrupted on a FIFO.
     */
    private void restartUninterruptible(Tracee tracee, long[] regs) {
        if (!interception.notifies()) {
            return;
        }
        long number = regs[arch.syscallNumberRegister()];
        if (regs[arch.returnRegister()] == -ERESTARTSYS && number >= 0 && number <= Integer.MAX_VALUE
                && neverInterrupted.get((int) number)) {
            regs[arch.returnRegister()] = -ERESTARTNOINTR;
            ptrace.setRegisters(tracee.tid, regs);
        }
    }

    /** Work for this thread, from any other: the doorbell wakes it if it sleeps. */
    private void post(Runnable work) {
        completed.add(work);
        if (asleep) {
            doorbell.ring();
        }
    }

    private void carryOutCompleted() {
        for (Runnable next; (next = completed.poll()) != null; ) {
            next.run();
        }
    }

    /** A verdict made on another thread: carried out, unless the tracee died meanwhile. */
    private void finish(Tracee tracee, SyscallRequest request, Verdict verdict) {
        if (tracee.gone) {
            LateVerdict.drop(verdict, Errno.ESRCH);
            return;
        }
        try {
            carryOut(tracee, request, verdict);
        } catch (RuntimeException e) {
            LOG.error("tracee {}: verdict not carried out", tracee.tid, e);
            resume(tracee, 0);
        }
    }

    private Verdict decide(SyscallRequest request) {
        try {
            return dispatcher.decide(request);
        } catch (TraceeMemoryException e) {
            return Verdict.error(e.errno());
        } catch (RuntimeException e) {
            LOG.error("{} of tracee {} failed in the supervisor", request.call().name(), request.tid(), e);
            return Verdict.error(Errno.EIO);
        }
    }

    /** Skips the call: the tracee sees {@code value} as its result, with no second stop. */
    private void answer(Tracee tracee, SyscallRequest request, long value) {
        ptrace.pokeUser(tracee.tid, arch.syscallNumberOffset(), -1);
        ptrace.pokeUser(tracee.tid, arch.returnValueOffset(), value);
        if (callLog != null) {
            callLog.finished(callLog.describe(request), value, "umview");
        }
        debugging.answered(tracee, request.number());
        resume(tracee, 0);
    }

    /**
     * Lets a tracee run on from a stop: as its debugger last resumed it if a debugger of the
     * view traces it (which may keep it stopped, to be told of this stop), else with PTRACE_CONT.
     */
    private void resume(Tracee tracee, int signal) {
        if (!debugging.resumes(tracee, signal)) {
            ptrace.cont(tracee.tid, signal);
        }
    }

    /**
     * Maps the scratch page if the tracee has none: true if it is there, false if the call
     * was answered (no memory) or will be made again once the page is mapped.
     */
    private boolean scratchReady(Tracee tracee, SyscallRequest request) {
        if (tracee.scratch != 0) {
            return true;
        }
        if (tracee.scratchFailed) {
            answer(tracee, request, -Errno.ENOMEM);
        } else {
            mapScratch(tracee); // the call is made again once the page is there, and decided again then
        }
        return false;
    }

    private void mapScratch(Tracee tracee) {
        injector.inject(tracee, arch.syscalls().number("mmap"), Scratch.mmapArguments(arch),
                address -> Scratch.mapped(tracee, address));
    }

    /** Installs what the dispatcher asked for, then lets the call be made (and decided) again. */
    private void prepare(Tracee tracee, SyscallRequest request, Verdict.Preparation preparation) {
        if (!scratchReady(tracee, request)) {
            return;
        }
        injectFilter(tracee, dispatcher.cwdSyscalls(), false, result -> {
            if (result == 0) {
                tracee.process.chain().setCwdTraps();
            } else {
                LOG.error("tracee {}: cannot add the cwd traps: seccomp returned {}", tracee.tid, result);
            }
        });
    }

    /**
     * The instructions of filters added to one process past which it traps every descriptor
     * call at once: the kernel refuses a chain of more than 32768 (ENOMEM), its first filter included.
     */
    private static final int ADDED_FILTER_BUDGET = 12_000;

    /**
     * Adds a filter trapping {@code traps} to the process of {@code tracee} (all its threads),
     * at a seccomp stop or, with {@code atStop}, at any other ptrace stop.
     */
    private void installTraps(Tracee tracee, TrapSet traps, boolean atStop) {
        if (tracee.scratch == 0 && !tracee.scratchFailed) {
            inject(tracee, arch.syscalls().number("mmap"), Scratch.mmapArguments(arch), atStop, address -> {
                Scratch.mapped(tracee, address);
                if (tracee.scratch != 0 && atStop) {
                    installTraps(tracee, tracee.pendingTraps != null ? tracee.pendingTraps : traps, true);
                }
            });
            return;
        }
        if (tracee.scratch == 0) {
            LOG.error("tracee {}: no memory for its new traps: calls of modules loaded later are not seen there", tracee.tid);
            tracee.pendingTraps = null;
            goOnWithoutTraps(tracee, atStop);
            return;
        }
        TrapSet weighed = withinBudget(tracee.process.chain(), traps);
        if (weighed.isEmpty()) {
            tracees.trapsInstalled(tracee.tgid(), traps); // the filter trapping every descriptor call has them
            goOnWithoutTraps(tracee, atStop);
            return;
        }
        injectFilter(tracee, weighed, atStop, result -> {
            if (result != 0) {
                LOG.error("tracee {}: cannot add traps: seccomp returned {}", tracee.tid, result);
            } else {
                descriptorsIn(tracee.process.chain(), weighed);
            }
            tracees.trapsInstalled(tracee.tgid(), traps);
            tracees.trapsInstalled(tracee.tgid(), weighed);
        });
    }

    /** A tracee whose traps are not put in goes on: resumed at a stop, its call decided at a seccomp stop. */
    private void goOnWithoutTraps(Tracee tracee, boolean atStop) {
        if (atStop) {
            resume(tracee, 0);
        } else {
            onSyscallEntry(tracee);
        }
    }

    /** Records which descriptors' traps {@code installed}, a filter just in, brought. */
    private void descriptorsIn(org.umview.process.FilterChain chain, TrapSet installed) {
        if (chain.trapsEveryDescriptorCall() && dispatcher.everyDescriptorCall().without(installed).isEmpty()) {
            chain.everyDescriptorCallInstalled();
        }
        chain.askedDescriptors().stream().filter(fd -> dispatcher.descriptorSyscalls(fd).without(installed).isEmpty())
                .forEach(chain::descriptorTrapped);
    }

    /**
     * {@code traps} as they may go in now. Threads of a process queue their filters at once
     * and would pass the bound together: each is weighed as it goes in, and past the bound
     * the filter trapping every descriptor call (once) stands for the descriptors' own.
     */
    private TrapSet withinBudget(org.umview.process.FilterChain chain, TrapSet traps) {
        if (!chain.trapsEveryDescriptorCall() && chain.addedInstructions() > ADDED_FILTER_BUDGET) {
            chain.trapEveryDescriptorCall();
        }
        if (!chain.trapsEveryDescriptorCall()) {
            return traps;
        }
        TrapSet every = dispatcher.everyDescriptorCall();
        TrapSet rest = traps.without(every);
        return chain.everyDescriptorCallIn() ? rest : rest.addAll(every);
    }

    /**
     * Adds a filter trapping {@code traps} to the process of {@code tracee}. When some of them
     * may go to a listener, the filter comes with a new one, whose copy the supervisor takes
     * before the tracee's is closed; a process whose chain has a listener already (EBUSY: one
     * per chain) gets them all traced instead.
     */
    private void injectFilter(Tracee tracee, TrapSet traps, boolean atStop, LongConsumer done) {
        TrapSet notifiedPart = tracee.process.chain().listened() ? new TrapSet() : traps.select(notifiable::names);
        if (notifiedPart.isEmpty()) {
            SeccompFilter filter = SeccompFilter.tracing(arch.auditArch(), traps);
            tracee.process.chain().filterAdded(filter.instructionCount());
            injectSeccomp(tracee, filter, 0, atStop, done);
            return;
        }
        SeccompFilter filter = SeccompFilter.of(arch.auditArch(), traps, notifiedPart);
        tracee.process.chain().filterAdded(filter.instructionCount());
        injectListening(tracee, filter, traps, atStop, SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, done);
    }

    /** {@code filter} with a new listener, made to wait killable when the kernel can; plain traced where the chain has one. */
    private void injectListening(Tracee tracee, SeccompFilter filter, TrapSet traps, boolean atStop, long killable, LongConsumer done) {
        injectSeccomp(tracee, filter,
                SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_TSYNC_ESRCH | killable, atStop, listener -> {
                    if (listener == -Errno.EINVAL && killable != 0) {
                        injectListening(tracee, filter, traps, true, 0, done); // before Linux 5.19
                    } else if (listener >= 0) {
                        adoptListener(tracee, (int) listener);
                        // At the exit stop of the seccomp call: the tracee is between calls.
                        injector.injectAtStop(tracee, arch.syscalls().number("close"), new long[] {listener}, closed -> done.accept(0));
                    } else if (listener == -Errno.EBUSY) {
                        tracee.process.chain().setListened(); // one the supervisor took earlier, inherited
                        injectSeccomp(tracee, SeccompFilter.tracing(arch.auditArch(), traps), 0, true, done);
                    } else {
                        done.accept(listener);
                    }
                });
    }

    private void injectSeccomp(Tracee tracee, SeccompFilter filter, long flags, boolean atStop, LongConsumer done) {
        byte[] program = filter.toBytes();
        // struct sock_fprog { unsigned short len; struct sock_filter *filter; }, program after it
        java.nio.ByteBuffer fprog = java.nio.ByteBuffer.allocate(16 + program.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        fprog.putShort(0, (short) filter.instructionCount()).putLong(8, tracee.scratch + 16).put(16, program);
        memory.write(tracee.tid, tracee.scratch, fprog.array());
        long[] args = {SECCOMP_SET_MODE_FILTER, flags | SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_SPEC_ALLOW,
            tracee.scratch, 0, 0, 0};
        inject(tracee, arch.syscalls().number("seccomp"), args, atStop, done);
    }

    private void inject(Tracee tracee, int number, long[] args, boolean atStop, LongConsumer done) {
        if (atStop) {
            injector.injectAtStop(tracee, number, args, done);
        } else {
            injector.inject(tracee, number, args, done);
        }
    }

    private TrapSet notifiable() {
        return interception.notifies() ? dispatcher.notifiedSyscalls() : new TrapSet();
    }

    /** Called by the control channel, on this thread: a module loaded may need more traps. */
    private void trapsChanged() {
        TrapSet wanted = dispatcher.trappedSyscalls().without(installedTraps);
        if (wanted.isEmpty()) {
            return;
        }
        installedTraps.addAll(wanted);
        notifiable = notifiable();
        for (Tracee tracee : tracees.all()) {
            // Already on their way (maybe being installed), the rest follows them; else the thread is stopped for them.
            boolean onTheirWay = tracee.pendingTraps != null;
            tracee.pend(wanted);
            if (!onTheirWay) {
                ptrace.interrupt(tracee.tid);
            }
        }
    }

    /**
     * Starts a program serving a mount, in {@code view}, with the standard input and error of
     * {@code callerTgid} (taken with pidfd_getfd: the same open files, a terminal included).
     */
    private int startService(int callerTgid, ViewNode view, List<String> command, Service service) {
        ProcessControl pc = Native.processControl();
        int[] stdio = {-1, -1, -1};
        try {
            // What the program prints goes to the caller's stderr: mount(8) prints nothing on stdout.
            int[] callerFds = {0, 2, 2};
            for (int fd = 0; fd < stdio.length; fd++) {
                stdio[fd] = Pidfds.copyOf(callerTgid, callerFds[fd]);
                if (stdio[fd] < 0) {
                    stdio[fd] = pc.open("/dev/null", O_RDWR | O_CLOEXEC);
                }
            }
            ShimLauncher.Spawned shim = seized(launcher.spawn(command, stdio));
            Tracee tracee = tracees.root(shim.pid());
            tracee.process.enter(view);
            tracee.process.serve(service);
            service.processStarted();
            release(shim, tracee);
            LOG.info("started {} (pid {}) to serve a mount", command, shim.pid());
            return shim.pid();
        } finally {
            for (int fd : stdio) {
                if (fd >= 0) {
                    pc.close(fd);
                }
            }
        }
    }

    /** What the calls notified to listeners need of the tracer. */
    private final class Carrier implements NotifiedCalls.Tracer {
        @Override
        public Verdict decide(SyscallRequest request) {
            return Tracer.this.decide(request);
        }

        @Override
        public void handOff(Tracee tracee, NotifiedCalls.Handoff handoff) {
            post(() -> {
                if (tracee.gone) {
                    handoff.drop(Errno.ESRCH);
                    return;
                }
                if (tracee.handoff != null) {
                    tracee.handoff.drop(Errno.EINTR);
                }
                tracee.handoff = handoff;
                ptrace.interrupt(tracee.tid);
                handoff.release();
            });
        }

        @Override
        public void waiting(int tid, Runnable interrupt, boolean waits) {
            if (waits) {
                Tracer.this.waiting.put(tid, interrupt);
            } else {
                Tracer.this.waiting.remove(tid, interrupt);
            }
        }

        @Override
        public void post(Runnable work) {
            Tracer.this.post(work);
        }

        @Override
        public boolean debuggerFirst(Tracee tracee, SyscallRequest request) {
            return debugging.wantsSeccompStop(tracee, request, arch.auditArch());
        }
    }

    /** What the dispatcher's control channel may ask of the tracer. */
    private final class Control implements ControlChannel.ViewControl {
        @Override
        public void trapsChanged() {
            if (Thread.currentThread() == thread) {
                Tracer.this.trapsChanged();
            } else {
                post(Tracer.this::trapsChanged); // a module's thread: the traps are the tracer's to change
            }
        }

        @Override
        public void trapDirfd(int tid, int fd) {
            Tracee tracee = tracees.get(tid);
            if (!tracee.process.chain().trapsDirfd(fd)) {
                tracee.process.chain().dirfdTrapped(fd);
                addTraps(tracee, dispatcher.dirfdSyscalls(fd));
            }
        }

        @Override
        public void trapDescriptor(int tid, int fd) {
            Tracee tracee = tracees.get(tid);
            if (!tracee.process.chain().trapsDescriptor(fd)) {
                tracee.process.chain().descriptorAsked(fd);
                addTraps(tracee, dispatcher.descriptorSyscalls(fd));
            }
        }

        @Override
        public void trapMaps(int tid) {
            Tracee tracee = tracees.get(tid);
            if (!tracee.process.chain().mapsTrapped()) {
                tracee.process.chain().setMapsTrapped();
                addTraps(tracee, dispatcher.mapSyscalls());
            }
        }

        /*
         * Installed when the tracee's current call returns (see onSyscallExit). A process whose
         * added filters near the kernel's bound gets one trapping every descriptor call instead.
         */
        private void addTraps(Tracee tracee, TrapSet traps) {
            TrapSet adding = traps;
            org.umview.process.FilterChain chain = tracee.process.chain();
            if (chain.addedInstructions() > ADDED_FILTER_BUDGET && !chain.trapsEveryDescriptorCall()) {
                LOG.debug("tracee {}: {} instructions of filters added: every descriptor call is trapped from now on",
                        tracee.tid, chain.addedInstructions());
                chain.trapEveryDescriptorCall();
            }
            if (chain.trapsEveryDescriptorCall()) {
                adding = dispatcher.everyDescriptorCall(); // another thread's may be on its way: the first in makes the rest moot
            }
            tracee.pend(adding);
        }

        @Override
        public java.util.concurrent.CompletableFuture<Integer> startService(int callerTgid, ViewNode view,
                List<String> command, Service service) {
            java.util.concurrent.CompletableFuture<Integer> started = new java.util.concurrent.CompletableFuture<>();
            post(() -> {
                try {
                    started.complete(Tracer.this.startService(callerTgid, view, command, service));
                } catch (RuntimeException e) {
                    started.completeExceptionally(e);
                }
            });
            return started;
        }

        @Override
        public void stopService(Service service) {
            post(() -> tracees.processesOf(service).forEach(tgid -> Native.libc().kill(tgid, SIGTERM)));
        }

        @Override
        public boolean cwdWithin(String path) {
            String below = path.equals("/") ? "/" : path + "/";
            for (Tracee tracee : tracees.all()) {
                String cwd = tracee.process.fs().virtualCwd();
                if (cwd != null && (cwd.equals(path) || cwd.startsWith(below))) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public org.umview.process.ProcessState process(int pid) {
            Tracee tracee = tracees.liveIds().contains(pid) ? tracees.get(pid) : null;
            return tracee == null ? null : tracee.process;
        }

        @Override
        public boolean inView(int pid) {
            return tracees.liveIds().contains(pid);
        }

        @Override
        public int tracerOf(int tid) {
            Debuggee debuggee = debuggee(tid);
            return debuggee == null ? 0 : debuggee.debugger.tgid;
        }

        @Override
        public boolean stoppedForTracer(int tid) {
            Debuggee debuggee = debuggee(tid);
            return debuggee != null && debuggee.stopped();
        }

        private Debuggee debuggee(int tid) {
            return tracees.liveIds().contains(tid) ? tracees.get(tid).debuggee : null;
        }

        @Override
        public void shutdown(ViewNode view, int graceSeconds) {
            LibC libc = Native.libc();
            List<Integer> members = new java.util.ArrayList<>();
            for (Tracee tracee : tracees.all()) {
                ViewNode node = tracee.process.view();
                if (node == null ? view.isRoot() : node.within(view)) { // null: never moved from the root
                    members.add(tracee.tid);
                    libc.kill(tracee.tid, SIGTERM);
                    libc.kill(tracee.tid, SIGCONT);
                }
            }
            Thread killer = new Thread(() -> {
                try {
                    Thread.sleep(graceSeconds * 1000L);
                } catch (InterruptedException e) {
                    return;
                }
                members.forEach(tid -> libc.kill(tid, SIGKILL));
            }, "umview-shutdown-timer");
            killer.setDaemon(true);
            killer.start();
        }
    }

    private void rewrite(Tracee tracee, SyscallRequest request, Verdict.Rewrite rewrite) {
        if (rewrite.scratchBytes() > Scratch.SIZE) {
            answer(tracee, request, -Errno.ENAMETOOLONG);
            return;
        }
        if (rewrite.scratchBytes() > 0 && tracee.scratch == 0) {
            if (tracee.scratchFailed) {
                new Tracee.DeferredRewrite(request.number(), request.args(), rewrite).drop(Errno.ENOMEM);
                answer(tracee, request, -Errno.ENOMEM);
            } else {
                tracee.deferredRewrite = new Tracee.DeferredRewrite(request.number(), request.args().clone(), rewrite);
                mapScratch(tracee);
            }
            return;
        }
        long[] original = ptrace.getRegisters(tracee.tid);
        long[] changed = original.clone();
        if (rewrite.number() != Verdict.SAME_CALL) {
            changed[arch.syscallNumberRegister()] = rewrite.number();
        }
        long next = tracee.scratch;
        for (Verdict.ArgumentChange change : rewrite.changes()) {
            long value = change.value();
            if (change.pointers() != null) {
                Verdict.PointerArray array = change.pointers();
                long[] values = array.values().clone();
                for (int i = 0; i < values.length; i++) {
                    if (array.pointed()[i] != null) {
                        memory.write(tracee.tid, next, array.pointed()[i]);
                        values[i] = next;
                        next += array.pointed()[i].length;
                    }
                }
                next = (next + 7) & ~7L;
                java.nio.ByteBuffer words = java.nio.ByteBuffer.allocate(8 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                for (long v : values) {
                    words.putLong(v);
                }
                memory.write(tracee.tid, next, words.array());
                value = next;
                next += words.capacity();
            } else if (change.data() != null) {
                memory.write(tracee.tid, next, change.data());
                value = next;
                next += change.data().length;
            }
            changed[arch.argumentRegister(change.index())] = value;
        }
        ptrace.setRegisters(tracee.tid, changed);
        // The kernel runs the filter again on the rewritten call: if a listener gets it, it lets it through.
        tracee.passNext = true;
        String call = callLog == null ? null : callLog.describe(request);
        tracee.atSyscallExit = result -> {
            // Programs may rely on argument registers surviving a call; a restart must see
            // the tracee's own arguments and be decided again.
            long[] after = original.clone();
            after[arch.returnRegister()] = rewrite.result() == null ? result : rewrite.result().applyAsLong(result);
            ptrace.setRegisters(tracee.tid, after);
            if (rewrite.then() != null) {
                rewrite.then().accept(result);
            }
            if (call != null) {
                callLog.finished(call, result, rewrite.changes().isEmpty() && rewrite.number() == Verdict.SAME_CALL
                        ? null : "rewritten by umview");
            }
        };
        ptrace.toSyscallExit(tracee.tid);
    }

    private void onSyscallExit(Tracee tracee) {
        if (tracee.entryStopExpected) {
            tracee.entryStopExpected = false; // an injected call entering: its exit comes next
            ptrace.toSyscallExit(tracee.tid);
            return;
        }
        LongConsumer action = tracee.atSyscallExit;
        tracee.atSyscallExit = null;
        tracee.passNext = false;
        boolean ownCall = !tracee.injected;
        if (action != null) {
            action.accept(ptrace.peekUser(tracee.tid, arch.returnValueOffset()));
        }
        if (ownCall && !tracee.remade) {
            debugging.callReturned(tracee);
        }
        if (tracee.atSyscallExit == null && !tracee.parked) { // else the action chained another call and resumed it
            goOn(tracee);
        }
    }

    /** Lets a tracee go on from a stop, its traps waiting to go in installed first. */
    private void goOn(Tracee tracee) {
        if (tracee.pendingTraps != null) {
            installTraps(tracee, tracee.pendingTraps, true);
        } else {
            resume(tracee, 0);
        }
    }

    /** What the debugging of the view's programs needs of the tracer. */
    private final class DebuggingHost implements Debugging.Host {
        @Override
        public Tracee tracee(int tid) {
            return tracees.liveIds().contains(tid) ? tracees.get(tid) : null;
        }

        @Override
        public void goOn(Tracee tracee) {
            Tracer.this.goOn(tracee);
        }

        @Override
        public void trapWaits(int tgid) {
            TrapSet waits = new TrapSet().always(arch.syscalls().number("wait4")).always(arch.syscalls().number("waitid"));
            for (Tracee tracee : tracees.all()) {
                if (tracee.tgid() == tgid) {
                    tracee.pend(waits);
                    ptrace.interrupt(tracee.tid); // a wait the kernel has begun is made again, trapped
                }
            }
        }

        @Override
        public void waiting(int tid, Runnable interrupt) {
            if (interrupt != null) {
                Tracer.this.waiting.put(tid, interrupt);
            } else {
                Tracer.this.waiting.remove(tid);
            }
        }

        @Override
        public void post(Runnable work) {
            Tracer.this.post(work);
        }
    }

    /** The flags of the fork, vfork, clone or clone3 a tracee is reporting. */
    private long cloneFlags(int tid, int event) {
        if (event == WaitStatus.EVENT_VFORK) {
            return CLONE_VM | CLONE_VFORK;
        }
        if (event == WaitStatus.EVENT_FORK) {
            return 0;
        }
        long number = ptrace.peekUser(tid, arch.syscallNumberOffset());
        long firstArgument = ptrace.peekUser(tid, arch.argumentRegister(0) * 8);
        if (number == clone3) {
            byte[] flags = memory.read(tid, firstArgument, 8); // struct clone_args starts with flags
            return java.nio.ByteBuffer.wrap(flags).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        }
        return firstArgument;
    }

    /** Traces a shim that waits on its pipe; one that cannot be traced is let go and collected. */
    private ShimLauncher.Spawned seized(ShimLauncher.Spawned shim) {
        try {
            ptrace.seize(shim.pid());
            return shim;
        } catch (NativeException e) {
            launcher.abandon(shim);
            reap(shim.pid());
            throw e;
        }
    }

    /* A shim that never ran: collect it so that it does not stay a zombie. */
    private static void reap(int pid) {
        Pointer status = Native.allocate(4);
        Native.libc().waitpid(pid, status, WALL);
    }
}
