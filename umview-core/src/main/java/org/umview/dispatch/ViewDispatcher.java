package org.umview.dispatch;

import java.util.ArrayList;
import java.util.List;
import org.umview.memory.TraceeMemory;
import org.umview.path.PathResolver;
import org.umview.seccomp.TrapSet;
import org.umview.syscall.ArgKind;
import org.umview.syscall.Syscall;
import org.umview.syscall.SyscallRequest;
import org.umview.syscall.SyscallTable;
import org.umview.view.View;
import org.umview.view.ViewNode;

/**
 * Decides the trapped calls of a view. It traps the calls the core serves itself (mount,
 * umount2, the control channel) and, once a module serving file systems is loaded, every call
 * that takes a path; a process that comes to hold virtual descriptors also traps the calls on
 * descriptors. Everything else never leaves the kernel.
 */
public final class ViewDispatcher implements Dispatcher {
    private final View view;
    private final SyscallTable table;
    private final ControlChannel control;
    private final PathCalls paths;
    private final DescriptorCalls descriptors;
    private final MountCalls mounts;
    private final IdentityCalls identity;
    private final NameCalls names;
    private final EscapeCalls escapes;
    private final ClockCalls clocks;
    private final SharedMapCalls sharedMaps;
    private final UnixSocketCalls sockets;
    private final SocketCalls inet;
    private final NoNewPrivsCalls noNewPrivs;
    private final LoopDevicesOnDemand loopDevices;
    private final ConnectedIoctls connectedIoctls;
    /** Every call on a descriptor or relative to one: what a process past its filters' bound traps. */
    private final TrapSet everyDescriptorCall;
    private final Decider[] deciders;
    /** The calls whose decision needs only their arguments and the tracee's memory (see {@link #notifiedSyscalls}). */
    private final java.util.BitSet decidedFromArguments = new java.util.BitSet();
    private static final int AT_FDCWD = -100;
    private final int mount;
    private final int umount2;

    public ViewDispatcher(View view, SyscallTable table, TraceeMemory memory, ExecutableCopies executables,
            ControlChannel.ViewControl viewControl) {
        this.view = view;
        this.table = table;
        this.control = new ControlChannel(view, memory, viewControl);
        PathResolver resolver = new PathResolver(view, viewControl::process);
        org.umview.vfs.SpecialFiles specials = new org.umview.vfs.SpecialFiles();
        ModuleWork work = new ModuleWork();
        this.identity = new IdentityCalls(memory, table, view);
        this.noNewPrivs = new NoNewPrivsCalls(memory);
        FileTransfers transfers = new FileTransfers(memory, work, table);
        this.descriptors = new DescriptorCalls(memory, work, viewControl, transfers, identity::caller);
        org.umview.net.SocketTable<org.umview.module.ConnectedFile> connectedFiles = new org.umview.net.SocketTable<>();
        this.paths = new PathCalls(view, memory, resolver,
                new FileCalls(memory, table, executables, viewControl, specials, identity::caller, view, connectedFiles), descriptors,
                viewControl, work, table);
        this.escapes = new EscapeCalls(view, viewControl, memory);
        org.umview.net.SocketTable<org.umview.net.VirtualSocket> stackSockets = new org.umview.net.SocketTable<>();
        this.mounts = new MountCalls(view, memory, resolver, work, viewControl, escapes,
                stack -> stack == view.defaultStack() || stackSockets.any(socket -> socket.mount() == stack), connectedFiles);
        this.names = new NameCalls(view, memory);
        this.clocks = new ClockCalls(view, memory);
        this.sharedMaps = new SharedMapCalls(memory, work);
        this.mount = table.number("mount");
        this.umount2 = table.number("umount2");
        this.sockets = new UnixSocketCalls(view, memory, resolver, work, specials);
        this.inet = new SocketCalls(view, memory, stackSockets);
        this.loopDevices = new LoopDevicesOnDemand(view, memory, viewControl, table);
        this.connectedIoctls = new ConnectedIoctls(view, memory, connectedFiles, table);
        this.everyDescriptorCall = everyDescriptorCall(table);
        this.deciders = deciders(descriptors, transfers, new CwdCalls(memory, work),
                new HostListings(memory, new MountedNames(view), table), new DescriptorPassing(memory));
    }

    @Override
    public TrapSet trappedSyscalls() {
        TrapSet traps = new TrapSet().always(mount).always(umount2).always(ControlChannel.SYSCALL_NUMBER);
        boolean narrowed = view.mounts().list().stream().anyMatch(m -> m.fileSystem().narrows());
        // Rare: they cost nothing elsewhere; but a debugger reads its tracees' memory with
        // process_vm_readv all the time, and only a narrowed view has anything to say to that.
        EscapeCalls.CALLS.stream().filter(name -> narrowed || !EscapeCalls.MEMORY_CALLS.contains(name))
                .forEach(name -> traps.always(table.number(name)));
        // The tracer answers ptrace itself (the view's debuggers), at a ptrace stop, never notified.
        traps.always(table.number("ptrace"));
        int prctl = table.number("prctl");
        traps.when(prctl, new int[] {0}, NoNewPrivsCalls.PR_SET_SECCOMP).when(prctl, new int[] {0}, NoNewPrivsCalls.PR_SET_NO_NEW_PRIVS)
                .when(prctl, new int[] {0}, NoNewPrivsCalls.PR_GET_NO_NEW_PRIVS);
        if (narrowed || view.claimed().fileSystems()) {
            traps.addAll(EscapeCalls.namespaceTraps(table, narrowed));
        }
        traps.addAll(loopDevices.traps());
        traps.addAll(connectedIoctls.traps());
        if (view.claimed().identity()) {
            traps.addAll(identity.traps());
        }
        if (clockServed()) {
            ClockCalls.CALLS.forEach(name -> traps.always(table.number(name)));
            ClockCalls.FILE_TIMES.forEach(name -> traps.always(table.number(name)));
        }
        if (virtualStacks()) {
            // send and recv are sendto and recvfrom with no address: a stream's data never leaves the kernel.
            SocketCalls.CALLS.stream().filter(name -> !SocketCalls.ADDRESSED.contains(name))
                    .forEach(name -> traps.always(table.number(name)));
            SocketCalls.ADDRESSED.forEach(name -> traps.whenSet(table.number(name), 4));
            SocketCalls.INTERFACE_IOCTLS.forEach(request -> traps.when(table.number("ioctl"), new int[] {1}, (int) (long) request));
        }
        if (view.claimed().systemNames()) {
            NameCalls.CALLS.forEach(name -> traps.always(table.number(name)));
        }
        if (view.claimed().fileSystems()) {
            UnixSocketCalls.CALLS.forEach(name -> traps.always(table.number(name)));
            for (int nr = 0; nr <= table.highest(); nr++) {
                int[] dirfds = dirfdArguments(table.byNumber(nr));
                if (dirfds == null) {
                    continue;
                }
                // A call relative to a host directory stays on the host unless that directory
                // lies above a mount: those descriptors are trapped one by one (dirfdSyscalls).
                // Where something is hidden or read-only, every path call is seen: an absolute
                // path or a descriptor opened before the mount must not get around it.
                if (dirfds.length == 0 || narrowed) {
                    traps.always(nr);
                } else {
                    traps.when(nr, dirfds, AT_FDCWD);
                }
            }
        }
        return traps;
    }

    /** Whether some process may make sockets of a stack that is not the host's. */
    private boolean virtualStacks() {
        if (!view.claimed().sockets() && view.defaultStack() == null) {
            return false;
        }
        return view.mounts().list().stream().anyMatch(m -> m.fileSystem() instanceof org.umview.module.NetworkStack stack
                && !stack.host());
    }

    /**
     * The path calls: most of them are let through or answered, which a listener can do with
     * no ptrace stop. exec among them: the new image is set up at its exec event, a stop of its
     * own, so a host binary's exec costs that stop alone (a served one's or an interpreted
     * one's is rewritten, and goes to the tracer). So do the calls a narrowed view refuses, but
     * seccomp (and clone and clone3, below).
     */
    @Override
    /**
     * A process's filters have one listener at most, taken by the first filter that notifies.
     * Path calls, by far the most frequent once a file system is served, must find it free:
     * until they are trapped, the calls trapped before (escapes, sockets) stay ptrace stops,
     * and a mount made in the view later brings the listener with its path calls.
     */
    public TrapSet notifiedSyscalls() {
        return view.claimed().fileSystems() ? trappedSyscalls().select(decidedFromArguments::get) : new TrapSet();
    }

    @Override
    public TrapSet execed(org.umview.process.ProcessState process, String executable) {
        return identity.execed(process, executable);
    }

    @Override
    public boolean clockServed() {
        return view.claimed().clock();
    }

    @Override
    public ViewNode rootView() {
        return view.root();
    }

    @Override
    public void viewEmptied(ViewNode emptied) {
        view.collect(emptied);
    }

    @Override
    public TrapSet dirfdSyscalls(int fd) {
        // Its listing too: a name a hiding mount removed must not show in it.
        TrapSet traps = new TrapSet().when(table.number("getdents64"), new int[] {0}, fd);
        for (int nr = 0; nr <= table.highest(); nr++) {
            int[] dirfds = dirfdArguments(table.byNumber(nr));
            if (dirfds != null && dirfds.length > 0) {
                traps.when(nr, dirfds, fd);
            }
        }
        return traps;
    }

    /**
     * The dirfd arguments of a path call: empty if some path of it has none (then it is always
     * trapped), null if it takes no path.
     */
    private static int[] dirfdArguments(Syscall call) {
        if (!PathArgument.takesPaths(call)) {
            return null;
        }
        List<Integer> dirfds = new ArrayList<>();
        List<ArgKind> kinds = call.args();
        for (int i = 0; i < kinds.size(); i++) {
            if (kinds.get(i) == ArgKind.PATH) {
                if (i == 0 || kinds.get(i - 1) != ArgKind.DIRFD) {
                    return new int[0];
                }
                dirfds.add(i - 1);
            }
        }
        return dirfds.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public Verdict decide(SyscallRequest request) {
        Verdict verdict = decideCall(request);
        return ClockCalls.FILE_TIMES.contains(request.call().name()) && clockServed() ? clocks.fileTimes(request, verdict) : verdict;
    }

    private Verdict decideCall(SyscallRequest request) {
        int number = request.number();
        if (number == ControlChannel.SYSCALL_NUMBER) {
            return control.serve(request);
        }
        return deciders[number].decide(request);
    }

    private static TrapSet everyDescriptorCall(SyscallTable table) {
        TrapSet traps = new TrapSet().always(table.number("getdents64")).always(table.number("close_range"))
                .always(table.number("sendmsg")).always(table.number("sendmmsg"));
        for (int nr = 0; nr <= table.highest(); nr++) {
            List<ArgKind> kinds = table.byNumber(nr).args();
            if (kinds.contains(ArgKind.FD) || kinds.contains(ArgKind.DIRFD)) {
                traps.always(nr);
            }
        }
        return traps;
    }

    /**
     * Who decides each system call, by number: the one table a newcomer reads to find where a
     * call is decided. A call no one else claims is a call on a descriptor.
     */
    private Decider[] deciders(DescriptorCalls descriptors, FileTransfers transfers, CwdCalls cwd, HostListings listings,
            DescriptorPassing passing) {
        CallTable calls = new CallTable(table, descriptors::decide)
                .decides(PathArgument::takesPaths, paths::decide)
                .decides("mount", mounts::mount)
                .decides("umount2", mounts::umount)
                .decides(UnixSocketCalls.CALLS, sockets::decide)
                .decides(ClockCalls.CALLS, clocks::decide)
                .decides(NameCalls.CALLS, names::decide)
                .decides(call -> identity.serves(call.name()), identity::decide)
                .decides("close", descriptors::close)
                .decides("close_range", descriptors::closeRange)
                .decides(List.of("dup2", "dup3"), descriptors::dup2)
                .decides("getcwd", cwd::getcwd)
                .decides("fchdir", cwd::fchdir)
                .decides(List.of("sendfile", "copy_file_range", "splice"), transfers::copy)
                .decides("sendmsg", passing::sendmsg)
                .decides("sendmmsg", passing::sendmmsg)
                // Asked first; what is not theirs goes on to the deciders above.
                .first("getdents64", listings::decide)
                .first("socket", inet::socket)
                .first("bind", inet::bind)
                .first("connect", inet::connect)
                .first("listen", inet::listen)
                .first(List.of("accept", "accept4"), inet::accept)
                .first("getsockname", inet::getsockname)
                .first("getpeername", inet::getpeername)
                .first("getsockopt", inet::getsockopt)
                .first("setsockopt", inet::setsockopt)
                .first("sendto", inet::sendto)
                .first("recvfrom", inet::recvfrom)
                .first("sendmsg", inet::sendmsg)
                .first("recvmsg", inet::recvmsg)
                .first(List.of("open", "openat"), loopDevices::decide)
                .first("prctl", noNewPrivs::prctl)
                .first("ioctl", connectedIoctls::decide)
                .first("ioctl", inet::interfaceIoctl)
                .first("seccomp", noNewPrivs::seccomp)
                // Refused where the view is narrowed; else what they name is decided as any path.
                .first(EscapeCalls.CALLS, refusing())
                .first(EscapeCalls.NARROWED_CALLS, refusing())
                // Maps are written back first; the call is then decided as it would be.
                .first(SharedMapCalls.CALLS, sharedMaps::decide);
        for (int nr = 0; nr <= table.highest(); nr++) {
            Syscall call = table.byNumber(nr);
            String name = call.name();
            // clone and clone3 stay ptrace stops: a signal while a notified call waits for its
            // answer ends the wait, and the caller's handler without SA_RESTART then sees EINTR,
            // where a fork is always restarted (a shell's "Cannot fork" among its SIGCHLDs).
            boolean escape = EscapeCalls.CALLS.contains(name);
            // seccomp stays on ptrace: the tracer injects it to add filters, and takes its stop then;
            // so do mount and umount2, whose work may wait on the view's processes.
            decidedFromArguments.set(nr, (escape || PathArgument.takesPaths(call) || SocketCalls.CALLS.contains(name))
                    && !name.equals("seccomp") && nr != mount && nr != umount2);
        }
        return calls.build();
    }

    /** The escape calls' decider in a chain: a call it lets run is decided by the next. */
    private Decider refusing() {
        return request -> {
            Verdict refused = escapes.decide(request);
            return refused == Verdict.CONTINUE ? null : refused;
        };
    }

    @Override
    public TrapSet descriptorSyscalls(int fd) {
        // Descriptors passed over a socket travel in memory: any sendmsg may carry this one.
        TrapSet traps = dirfdSyscalls(fd).always(table.number("close_range"))
                .always(table.number("sendmsg")).always(table.number("sendmmsg"));
        for (int nr = 0; nr <= table.highest(); nr++) {
            List<ArgKind> kinds = table.byNumber(nr).args();
            int[] fds = java.util.stream.IntStream.range(0, kinds.size()).filter(i -> kinds.get(i) == ArgKind.FD).toArray();
            if (fds.length > 0) {
                traps.when(nr, fds, fd);
            }
        }
        return traps;
    }

    @Override
    public TrapSet everyDescriptorCall() {
        return new TrapSet().addAll(everyDescriptorCall);
    }

    @Override
    public TrapSet mapSyscalls() {
        return new TrapSet().always(table.number("msync")).always(table.number("munmap")).always(table.number("exit_group"));
    }

    @Override
    public TrapSet cwdSyscalls() {
        return new TrapSet().always(table.number("getcwd")).always(table.number("fchdir"));
    }
}
