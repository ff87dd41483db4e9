package org.umview.dispatch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umview.libc.Errno;
import org.umview.libc.Links;
import org.umview.memory.TraceeMemory;
import org.umview.process.ProcessState;
import org.umview.seccomp.TrapSet;
import org.umview.syscall.SyscallRequest;
import org.umview.syscall.SyscallTable;
import org.umview.view.View;

/**
 * Calls that would reach files or processes around the view, refused in a view that hides
 * or narrows anything: io_uring (its requests never pass the tracer), file handles (a handle
 * opens a file without its path), process_vm_* aimed at a process outside the view (the
 * supervisor included; ptrace is the tracer's own to answer, see org.umview.trace.PtraceCalls), and new user or mount namespaces and real mounts, refused as a
 * kernel without user namespaces refuses them: in a namespace of its own a process is root
 * over mounts the supervisor never sees, and a bind mount there reaches what the view hides.
 * A seccomp listener of a program's own is refused too: a notifying filter outranks the
 * supervisor's RET_TRACE, so a listener that lets calls through would take them past it.
 */
final class EscapeCalls {
    private static final Logger LOG = LoggerFactory.getLogger(EscapeCalls.class);
    static final List<String> CALLS = List.of("io_uring_setup", "open_by_handle_at", "name_to_handle_at",
            "process_vm_readv", "process_vm_writev", "unshare", "setns", "chroot", "pivot_root", "open_tree",
            "open_tree_attr", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr", "seccomp",
            "pidfd_getfd");
    /** Of those, the calls on another process's memory: trapped only where the view is narrowed (the rest let them be). */
    static final List<String> MEMORY_CALLS = List.of("process_vm_readv", "process_vm_writev");
    /** Calls too frequent to trap in every view: trapped where the view is narrowed or a module serves paths. */
    static final List<String> NARROWED_CALLS = List.of("clone", "clone3");
    private static final long CLONE_NEWNS = 0x00020000;
    private static final long CLONE_NEWUSER = 0x10000000;
    private static final long NEW_NAMESPACES = CLONE_NEWNS | CLONE_NEWUSER;
    private static final long CLONE_FS = 0x00000200;
    /** The namespaces setns may enter through a pidfd: time, mnt, cgroup, uts, ipc, user, pid, net. */
    private static final long SETNS_PIDFD_FLAGS = 0x80 | 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000
            | 0x20000000 | 0x40000000;
    private static final long OPEN_TREE_CLONE = 1;
    private static final long SECCOMP_SET_MODE_FILTER = 1;
    private static final long SECCOMP_FILTER_FLAG_NEW_LISTENER = 8;

    private final View view;
    private final ControlChannel.ViewControl control;
    private final TraceeMemory memory;
    private final java.util.Set<String> warned = java.util.concurrent.ConcurrentHashMap.newKeySet();

    EscapeCalls(View view, ControlChannel.ViewControl control, TraceeMemory memory) {
        this.memory = memory;
        this.view = view;
        this.control = control;
    }

    /**
     * How NARROWED_CALLS are trapped: clone only when its flags ask for a namespace this view
     * refuses (the filter sees them, so a fork costs no stop of its own), clone3 always (its
     * flags are in memory).
     */
    static TrapSet namespaceTraps(SyscallTable table, boolean narrowed) {
        return new TrapSet().whenAnyBit(table.number("clone"), 0, narrowed ? NEW_NAMESPACES : CLONE_NEWNS)
                .always(table.number("clone3"));
    }

    Verdict decide(SyscallRequest request) {
        if (!narrowed(request.process())) {
            return servesPaths() ? mountNamespaces(request) : Verdict.CONTINUE;
        }
        return switch (request.call().name()) {
            // As a kernel without io_uring: programs fall back to ordinary calls.
            case "io_uring_setup" -> Verdict.error(Errno.ENOSYS);
            case "name_to_handle_at" -> Verdict.error(Errno.EOPNOTSUPP);
            case "open_by_handle_at" -> Verdict.error(Errno.EPERM);
            case "process_vm_readv", "process_vm_writev" ->
                    control.inView((int) request.arg(0)) ? Verdict.CONTINUE : Verdict.error(Errno.EPERM);
            // A descriptor of a process outside the view (a socket, a directory) would be outside it too.
            case "pidfd_getfd" -> {
                int pid = pidOf(request.tid(), (int) request.arg(0));
                yield pid < 0 || control.inView(pid) ? Verdict.CONTINUE : Verdict.error(Errno.EPERM);
            }
            case "unshare" -> (request.arg(0) & NEW_NAMESPACES) != 0 ? refused(request) : Verdict.CONTINUE;
            case "clone" -> makesNamespace(request.arg(0), NEW_NAMESPACES) ? refused(request) : Verdict.CONTINUE;
            case "clone3" -> makesNamespace(cloneArgsFlags(request), NEW_NAMESPACES) ? refused(request) : Verdict.CONTINUE;
            case "setns" -> entersNamespace(request, NEW_NAMESPACES, "mnt:", "user:") ? refused(request) : Verdict.CONTINUE;
            case "open_tree", "open_tree_attr" -> (request.arg(2) & OPEN_TREE_CLONE) != 0 ? refused(request) : Verdict.CONTINUE;
            // EBUSY, as the kernel says where the chain has a listener already (a notifying view's have one).
            case "seccomp" -> request.arg(0) == SECCOMP_SET_MODE_FILTER && (request.arg(1) & SECCOMP_FILTER_FLAG_NEW_LISTENER) != 0
                    ? Verdict.error(Errno.EBUSY) : Verdict.CONTINUE;
            default -> refused(request); // chroot, pivot_root and the new mount API make or move real mounts
        };
    }

    /**
     * In a view whose modules serve paths but narrow nothing: a process in a mount namespace of
     * its own would have its paths resolved in the supervisor's namespace, wrongly, so new mount
     * namespaces are refused (user namespaces alone change no path and stay allowed).
     */
    private Verdict mountNamespaces(SyscallRequest request) {
        return switch (request.call().name()) {
            case "unshare" -> (request.arg(0) & CLONE_NEWNS) != 0 ? refused(request) : Verdict.CONTINUE;
            case "clone" -> makesNamespace(request.arg(0), CLONE_NEWNS) ? refused(request) : Verdict.CONTINUE;
            case "clone3" -> makesNamespace(cloneArgsFlags(request), CLONE_NEWNS) ? refused(request) : Verdict.CONTINUE;
            case "setns" -> entersNamespace(request, CLONE_NEWNS, "mnt:") ? refused(request) : Verdict.CONTINUE;
            default -> Verdict.CONTINUE;
        };
    }

    /** Whether a loaded module serves paths (clone and clone3 are trapped then too). */
    private boolean servesPaths() {
        return view.claimed().fileSystems();
    }

    /** A mount(2) no module serves, which the kernel would make: refused where the view is narrowed. */
    Verdict kernelMount(SyscallRequest request) {
        return narrowed(request.process()) ? refused(request) : Verdict.CONTINUE;
    }

    /** EPERM, with one warning in umview's log the first time a call is refused. */
    private Verdict refused(SyscallRequest request) {
        if (warned.add(request.call().name())) {
            LOG.warn("{} refused (EPERM): in a narrowed view no process may make namespaces or real mounts",
                    request.call().name());
        }
        return Verdict.error(Errno.EPERM);
    }

    /** The flags of clone3's struct clone_args (its first field); none if the tracee's pointer is bad (the kernel says EFAULT). */
    private long cloneArgsFlags(SyscallRequest request) {
        try {
            return ByteBuffer.wrap(memory.read(request.tid(), request.arg(0), 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /**
     * Whether a clone with {@code flags} would make one of the namespaces {@code types}; a new
     * mount or user namespace sharing the creator's fs_struct (CLONE_FS) is the kernel's EINVAL.
     */
    private static boolean makesNamespace(long flags, long types) {
        return (flags & types) != 0 && (flags & CLONE_FS) == 0;
    }

    /**
     * Whether setns would enter a namespace of {@code types} (files: their /proc/PID/ns link
     * names). What the kernel refuses is its to answer first: a bad descriptor (EBADF), one that
     * is no namespace nor pidfd, a type other than the namespace's, flags it does not know (EINVAL).
     */
    private static boolean entersNamespace(SyscallRequest request, long types, String... files) {
        long flags = request.arg(1);
        String what = Links.readlink("/proc/" + request.tid() + "/fd/" + (int) request.arg(0));
        if (what == null) {
            return false;
        }
        if (what.contains("pidfd")) {
            return (flags & types) != 0 && (flags & ~SETNS_PIDFD_FLAGS) == 0;
        }
        for (String file : files) {
            long type = file.equals("mnt:") ? CLONE_NEWNS : CLONE_NEWUSER;
            if (what.startsWith(file) && (flags == 0 || flags == type)) {
                return true;
            }
        }
        return false;
    }

    /** A view with a narrowing mount, or without a network (umview --net none): what would get around either is refused. */
    private boolean narrowed(ProcessState process) {
        return view.networkless() || view.mounts().visible(view.of(process)).stream()
                .anyMatch(m -> m.fileSystem().narrows());
    }

    /** The process pidfd {@code fd} of thread {@code tid} refers to, or -1 (not a pidfd: the kernel answers EBADF). */
    private static int pidOf(int tid, int fd) {
        return org.umview.process.FdInfo.number(tid, fd, "Pid", 10);
    }
}
