package org.umview.dispatch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umview.libc.Errno;
import org.umview.memory.TraceeMemory;
import org.umview.module.Caller;
import org.umview.module.ConnectedFile;
import org.umview.module.FileAttributes;
import org.umview.module.FileSystem;
import org.umview.module.ModuleException;
import org.umview.module.OpenFile;
import org.umview.module.SpecialFile;
import org.umview.module.SymlinkOut;
import org.umview.module.Timestamp;
import org.umview.net.KernelSockets;
import org.umview.net.SocketAddresses;
import org.umview.net.SocketTable;
import org.umview.path.Resolved;
import org.umview.process.ProcStatus;
import org.umview.process.VirtualFile;
import org.umview.syscall.StructLayouts;
import org.umview.syscall.SyscallRequest;
import org.umview.syscall.SyscallTable;
import org.umview.view.Mount;
import org.umview.vfs.Permissions;
import org.umview.vfs.SpecialFiles;
import org.umview.vfs.VfsRules;

/**
 * Path calls served by a mounted file system. An open leaves a placeholder descriptor in the
 * tracee (the kernel picks its number, lowest free first, as POSIX wants) that stands for the
 * module's open file from then on.
 */
final class FileCalls {
    private static final Logger LOG = LoggerFactory.getLogger(FileCalls.class);
    private static final int AT_FDCWD = -100;
    private static final int AT_REMOVEDIR = 0x200;
    private static final int O_WRONLY = 01;
    private static final int O_RDWR = 02;
    private static final int O_CREAT = 0100;
    private static final int O_TRUNC = 01000;
    private static final int O_NOFOLLOW = 0400000;
    private static final int O_PATH = 010000000;
    private static final int S_ISGID = 02000;
    private static final int O_CLOEXEC = 02000000;
    private static final int O_NONBLOCK = 04000;
    private static final int SOCK_SEQPACKET = 5;
    private static final int SOCK_STREAM = 1;
    private static final int RENAME_NOREPLACE = 1;
    private static final int AT_SYMLINK_FOLLOW = 0x400;
    private static final int ENODATA = 61;
    private static final int ENOTSUP = 95;

    private static final int X_OK = 1;

    private final TraceeMemory memory;
    private final ExecutableCopies executables;
    private final int openat;
    private final int socket;
    private final SocketTable<ConnectedFile> connected;

    private final ControlChannel.ViewControl control;
    private final SpecialFiles specials;
    private final MountChangeSignals mountChanges;
    private final org.umview.view.View view;
    private final java.util.function.Function<SyscallRequest, Caller> callers;

    FileCalls(TraceeMemory memory, SyscallTable table, ExecutableCopies executables, ControlChannel.ViewControl control,
            SpecialFiles specials, java.util.function.Function<SyscallRequest, Caller> callers, org.umview.view.View view,
            SocketTable<ConnectedFile> connected) {
        this.connected = connected;
        this.socket = table.number("socket");
        this.view = view;
        this.mountChanges = new MountChangeSignals(view.mounts());
        this.memory = memory;
        this.callers = callers;
        this.specials = specials;
        this.control = control;
        this.executables = executables;
        this.openat = table.number("openat");
    }

    /** Where a call goes on when a symlink led out of the file system: decided again with argument {@code index} at {@code path}. */
    @FunctionalInterface
    interface Redirect {
        Verdict to(int index, String path);
    }

    Verdict serve(SyscallRequest request, List<PathArgument> arguments, List<Resolved> paths, Redirect redirect) {
        Mount mount = paths.get(0).mount();
        try {
            if (mount != null && mount.fileSystem().enforcesPermissions()) {
                Caller caller = callers.apply(request);
                return Caller.as(caller, () -> serveAs(request, arguments, paths, caller));
            }
            return serveAs(request, arguments, paths, null);
        } catch (SymlinkOut out) {
            for (int i = 0; i < paths.size(); i++) {
                String leads = paths.get(i).virtual() ? out.leads(paths.get(i).inMount()) : null;
                if (leads != null) {
                    return redirect.to(i, leads);
                }
            }
            return Verdict.error(Errno.EXDEV);
        }
    }

    /** {@link #serve}, with the permission checks of a file system that enforces them when {@code caller} is given. */
    private Verdict serveAs(SyscallRequest request, List<PathArgument> arguments, List<Resolved> paths, Caller caller)
            throws SymlinkOut {
        Resolved first = paths.get(0);
        Mount mount = first.mount();
        FileSystem fs = mount == null ? null : mount.fileSystem();
        String name = request.call().name();
        try {
            if (caller != null) {
                permitted(request, name, paths, arguments.get(0).followLast(), caller);
            }
            if (paths.size() == 2) {
                return twoPaths(name, request, paths);
            }
            String path = first.inMount();
            if (first.slashed() && !CREATING_OR_REMOVING.contains(name) && !fs.stat(path, true).isDirectory()) {
                return Verdict.error(Errno.ENOTDIR);
            }
            return switch (name) {
                case "open", "creat", "openat", "openat2" -> open(request, first, openFlags(request), openMode(request));
                case "stat", "lstat" -> stat(request, fs.stat(path, arguments.get(0).followLast()), 1);
                case "newfstatat" -> stat(request, fs.stat(path, arguments.get(0).followLast()), 2);
                case "statx" -> {
                    memory.write(request.tid(), request.arg(4), StructLayouts.statx(fs.stat(path, arguments.get(0).followLast())));
                    yield Verdict.result(0);
                }
                case "access" -> done(() -> fs.access(path, (int) request.arg(1)));
                case "faccessat", "faccessat2" -> done(() -> fs.access(path, (int) request.arg(2)));
                case "readlink" -> readlink(request, fs.readlink(path), 1);
                case "readlinkat" -> readlink(request, fs.readlink(path), 2);
                case "mkdir" -> mkdir(request, first, (int) request.arg(1));
                case "mkdirat" -> mkdir(request, first, (int) request.arg(2));
                case "mknod" -> mknod(request, first, (int) request.arg(1), request.arg(2));
                case "mknodat" -> mknod(request, first, (int) request.arg(2), request.arg(3));
                case "rmdir" -> rmdir(first);
                case "unlink" -> unlink(first);
                case "unlinkat" -> (request.arg(2) & AT_REMOVEDIR) != 0 ? rmdir(first) : unlink(first);
                case "symlink", "symlinkat" -> symlink(request, string(request, 0), first);
                case "chmod" -> chmod(fs, path, (int) request.arg(1), caller);
                case "fchmodat", "fchmodat2" -> {
                    if (!arguments.get(0).followLast() && fs.stat(path, false).isSymlink()) {
                        yield Verdict.error(ENOTSUP); // a symlink's mode cannot change on Linux
                    }
                    yield chmod(fs, path, (int) request.arg(2), caller);
                }
                case "truncate" -> done(() -> {
                    VfsRules.beforeTruncate(fs, first, request.arg(1));
                    fs.truncate(path, request.arg(1));
                });
                case "statfs" -> {
                    memory.write(request.tid(), request.arg(1), StructLayouts.statfs(fs.statfs(path)));
                    yield Verdict.result(0);
                }
                case "execve" -> exec(request, first, 0);
                case "execveat" -> exec(request, first, 1);
                case "chdir" -> chdir(request, first);
                case "chown", "lchown" -> chown(fs, path, (int) request.arg(1), (int) request.arg(2), arguments.get(0).followLast());
                case "fchownat" -> chown(fs, path, (int) request.arg(2), (int) request.arg(3), arguments.get(0).followLast());
                case "getxattr", "lgetxattr", "removexattr", "lremovexattr" -> Verdict.error(ENODATA);
                case "listxattr", "llistxattr" -> Verdict.result(0);
                case "setxattr", "lsetxattr" -> Verdict.error(ENOTSUP);
                case "utimensat", "utime", "utimes", "futimesat" -> {
                    Timestamp[] times = TimeArguments.of(memory, request);
                    yield done(() -> fs.setTimes(path, times[0], times[1], arguments.get(0).followLast()));
                }
                default -> unsupported(request);
            };
        } catch (SymlinkOut out) {
            throw out;
        } catch (ModuleException e) {
            return Verdict.error(e.errno() == Errno.ENOENT && fs != null ? VfsRules.notFound(fs, first.inMount()) : e.errno());
        }
    }

    /**
     * The kernel's permission checks for {@code name} on {@code paths}, made before the file
     * system is asked (chmod's own is in {@link #chmod}).
     */
    private void permitted(SyscallRequest request, String name, List<Resolved> paths, boolean follow, Caller caller)
            throws ModuleException {
        FileSystem fs = paths.get(0).mount().fileSystem();
        String path = paths.get(0).inMount();
        switch (name) {
            case "open", "openat", "openat2", "creat" -> {
                int flags = openFlags(request);
                if ((flags & O_CREAT) != 0 && !Permissions.exists(fs, path)) {
                    Permissions.mayCreate(fs, caller, path);
                } else {
                    Permissions.mayOpen(fs, caller, path, flags);
                }
            }
            case "mkdir", "mkdirat", "mknod", "mknodat", "symlink", "symlinkat" -> Permissions.mayCreate(fs, caller, path);
            case "rmdir", "unlink", "unlinkat" -> Permissions.mayDelete(fs, caller, path);
            case "rename", "renameat", "renameat2" -> Permissions.mayRename(fs, caller, path, paths.get(1).inMount());
            case "link", "linkat" -> {
                Permissions.searchable(fs, caller, path);
                Permissions.mayCreate(fs, caller, paths.get(1).inMount());
            }
            case "truncate" -> {
                Permissions.searchable(fs, caller, path);
                Permissions.check(fs.stat(path, true), caller, Permissions.W);
            }
            case "chown", "lchown" -> ownerChange(fs, path, follow, caller, (int) request.arg(1), (int) request.arg(2));
            case "fchownat" -> ownerChange(fs, path, follow, caller, (int) request.arg(2), (int) request.arg(3));
            case "utimensat", "utime", "utimes", "futimesat" -> {
                Permissions.searchable(fs, caller, path);
                Timestamp[] times = TimeArguments.of(memory, request);
                Permissions.maySetTimes(fs.stat(path, follow), caller, TimeArguments.explicit(times));
            }
            case "execve", "execveat", "chdir" -> {
                Permissions.searchable(fs, caller, path);
                Permissions.check(fs.stat(path, true), caller, Permissions.X);
            }
            case "access", "faccessat", "faccessat2" -> {
                Permissions.searchable(fs, caller, path);
                int mode = (int) request.arg(name.equals("access") ? 1 : 2) & 7;
                Permissions.check(fs.stat(path, true), caller, mode);
            }
            default -> Permissions.searchable(fs, caller, path);
        }
    }

    private static void ownerChange(FileSystem fs, String path, boolean follow, Caller caller, int uid, int gid)
            throws ModuleException {
        Permissions.searchable(fs, caller, path);
        Permissions.mayChown(fs.stat(path, follow), caller, uid, gid);
    }

    /** The open(2) flags of an open call (openat2's from its struct open_how). */
    private int openFlags(SyscallRequest request) {
        return switch (request.call().name()) {
            case "open" -> (int) request.arg(1);
            case "openat" -> (int) request.arg(2);
            case "creat" -> O_CREAT | O_WRONLY | O_TRUNC;
            default -> (int) openHow(request).getLong(0);
        };
    }

    /** The mode an open call creates a file with. */
    private int openMode(SyscallRequest request) {
        return switch (request.call().name()) {
            case "open" -> (int) request.arg(2);
            case "creat" -> (int) request.arg(1);
            case "openat" -> (int) request.arg(3);
            default -> (int) openHow(request).getLong(8);
        };
    }

    private ByteBuffer openHow(SyscallRequest request) {
        return ByteBuffer.wrap(memory.read(request.tid(), request.arg(2), 16)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** chmod: where permissions are enforced only the owner may, and set-group-ID needs the group. */
    private static Verdict chmod(FileSystem fs, String path, int mode, Caller caller) throws ModuleException {
        fs.chmod(path, caller == null ? mode : Permissions.mayChmod(fs.stat(path, true), caller, mode));
        return Verdict.result(0);
    }

    /* Calls whose last name may be missing, or must not be followed to a directory: a "/" after it is theirs to judge. */
    private static final java.util.Set<String> CREATING_OR_REMOVING = java.util.Set.of("open", "openat", "openat2", "creat",
            "mkdir", "mkdirat", "mknod", "mknodat", "rmdir", "unlink", "unlinkat", "symlink", "symlinkat");

    private Verdict mkdir(SyscallRequest request, Resolved where, int mode) throws ModuleException {
        FileSystem fs = where.mount().fileSystem();
        FileAttributes directory = VfsRules.beforeCreate(fs, where);
        fs.mkdir(where.inMount(), masked(request, mode));
        giveToCaller(request, where, directory);
        return Verdict.result(0);
    }

    /**
     * A file just made by a file system that makes files as the mount's ids goes to its
     * caller: the caller's ids, or the group of a set-group-ID directory, as the kernel gives.
     * Where owners cannot be changed the file stays as made. {@code directory}: the one it was
     * made in, as the rules before the call found it.
     */
    private void giveToCaller(SyscallRequest request, Resolved where, FileAttributes directory) throws ModuleException {
        FileSystem fs = where.mount().fileSystem();
        if (!fs.createsAsMount()) {
            return;
        }
        Caller caller = callers.apply(request);
        int gid = (directory.mode() & S_ISGID) != 0 ? directory.gid() : caller.gid();
        if (caller.uid() != 0 || gid != 0) {
            try {
                fs.chown(where.inMount(), caller.uid(), gid, false);
            } catch (ModuleException e) {
                // a file system without owners (FAT) keeps its own: the file is made all the same
            }
        }
    }

    /** mknod(2): a mode with no type makes a regular file; a directory is refused as the kernel refuses it. */
    private Verdict mknod(SyscallRequest request, Resolved where, int mode, long device) throws ModuleException {
        int type = mode & FileAttributes.S_IFMT;
        switch (type) {
            case 0 -> type = FileAttributes.S_IFREG;
            case FileAttributes.S_IFREG, FileAttributes.S_IFIFO, FileAttributes.S_IFSOCK, FileAttributes.S_IFCHR,
                    FileAttributes.S_IFBLK -> { }
            case FileAttributes.S_IFDIR -> throw new ModuleException(Errno.EPERM);
            default -> throw new ModuleException(Errno.EINVAL);
        }
        FileSystem fs = where.mount().fileSystem();
        FileAttributes directory = VfsRules.beforeCreate(fs, where);
        boolean isDevice = type == FileAttributes.S_IFCHR || type == FileAttributes.S_IFBLK;
        fs.mknod(where.inMount(), type | masked(request, mode), isDevice ? device & 0xffffffffL : 0);
        giveToCaller(request, where, directory);
        return Verdict.result(0);
    }

    private static Verdict rmdir(Resolved where) throws ModuleException {
        VfsRules.beforeRmdir(where.mount().fileSystem(), where);
        where.mount().fileSystem().rmdir(where.inMount());
        return Verdict.result(0);
    }

    private static Verdict unlink(Resolved where) throws ModuleException {
        VfsRules.beforeUnlink(where.mount().fileSystem(), where);
        where.mount().fileSystem().unlink(where.inMount());
        return Verdict.result(0);
    }

    private Verdict symlink(SyscallRequest request, String target, Resolved where) throws ModuleException {
        if (target.isEmpty()) {
            throw new ModuleException(Errno.ENOENT);
        }
        FileAttributes directory = VfsRules.beforeCreate(where.mount().fileSystem(), where);
        where.mount().fileSystem().symlink(target, where.inMount());
        giveToCaller(request, where, directory);
        return Verdict.result(0);
    }

    /** chown, then what the kernel takes from a regular file whose owner changed (set-user-ID, set-group-ID). */
    private static Verdict chown(FileSystem fs, String path, int uid, int gid, boolean follow) throws ModuleException {
        FileAttributes before = fs.stat(path, follow);
        fs.chown(path, uid, gid, follow);
        int mode = VfsRules.afterChown(before, uid, gid);
        if (mode >= 0) {
            fs.chmod(path, mode);
        }
        return Verdict.result(0);
    }

    /**
     * A stat of a served path answered when the file system's reply comes ({@link
     * FileSystem#statLater}), with no thread waiting for it; null if it cannot be.
     */
    Verdict statLater(SyscallRequest request, List<PathArgument> arguments, List<Resolved> paths, Supplier<Verdict> slowWay) {
        String name = request.call().name();
        int buffer = switch (name) {
            case "stat", "lstat" -> 1;
            case "newfstatat" -> 2;
            case "statx" -> 4;
            default -> -1;
        };
        if (buffer < 0 || paths.size() != 1 || paths.get(0).slashed() || paths.get(0).mount().fileSystem().enforcesPermissions()) {
            return null;
        }
        return LaterStat.of(memory, request, buffer,
                paths.get(0).mount().fileSystem().statLater(paths.get(0).inMount(), arguments.get(0).followLast()), slowWay);
    }

    /**
     * An open of a served path answered when the file system's reply comes ({@link
     * FileSystem#openLater}), with no thread waiting for it; null if it cannot be. A file
     * opened after the caller gave up (EINTR) is closed.
     */
    Verdict openLater(SyscallRequest request, List<Resolved> paths, Supplier<Verdict> slowWay) {
        String name = request.call().name();
        if (paths.size() != 1 || !(name.equals("open") || name.equals("openat"))) {
            return null;
        }
        int flags = (int) request.arg(name.equals("open") ? 1 : 2);
        Resolved where = paths.get(0);
        if (where.slashed() || (flags & O_PATH) != 0 || where.mount().fileSystem().enforcesPermissions()) {
            return null; // the rules of VfsRules.beforeOpen need a look at the name first
        }
        java.util.concurrent.CompletableFuture<OpenFile> opened = where.mount().fileSystem()
                .openLater(where.inMount(), flags, (int) request.arg(name.equals("open") ? 2 : 3));
        if (opened == null) {
            return null;
        }
        java.util.concurrent.CompletableFuture<Verdict> answer = new java.util.concurrent.CompletableFuture<>();
        opened.whenComplete((file, failure) -> {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
            if (cause instanceof SymlinkOut) {
                answer.complete(slowWay.get());
            } else if (cause instanceof SpecialFile special) {
                try {
                    answer.complete(openSpecial(request, where, special.attributes()));
                } catch (SymlinkOut toDevice) {
                    answer.complete(slowWay.get());
                } catch (ModuleException e) {
                    answer.complete(Verdict.error(e.errno()));
                }
            } else if (failure != null) {
                answer.complete(Verdict.error(ModuleWork.errno(failure)));
            } else if (answer.isDone()) {
                file.close();
            } else {
                VirtualFile virtual = new VirtualFile(where.mount(), where.path(), file, flags);
                if (!answer.complete(placeholder(request, virtual, flags))) {
                    virtual.abandon();
                }
            }
        });
        return Verdict.later(answer, () -> answer.complete(Verdict.error(Errno.EINTR)));
    }

    private Verdict twoPaths(String name, SyscallRequest request, List<Resolved> paths) throws ModuleException {
        Resolved from = paths.get(0);
        Resolved to = paths.get(1);
        if (from.mount() != to.mount() || from.mount() == null) {
            return Verdict.error(Errno.EXDEV);
        }
        FileSystem fs = from.mount().fileSystem();
        return switch (name) {
            case "rename", "renameat", "renameat2" -> {
                long flags = name.equals("renameat2") ? request.arg(4) : 0;
                if ((flags & ~RENAME_NOREPLACE) != 0) {
                    yield Verdict.error(Errno.EINVAL);
                }
                if (VfsRules.beforeRename(fs, from, to, flags != 0)) {
                    fs.rename(from.inMount(), to.inMount());
                }
                yield Verdict.result(0);
            }
            case "link", "linkat" -> {
                VfsRules.beforeLink(fs, from, to, name.equals("linkat") && (request.arg(4) & AT_SYMLINK_FOLLOW) != 0);
                fs.link(from.inMount(), to.inMount());
                yield Verdict.result(0);
            }
            default -> unsupported(request);
        };
    }

    /** An open of a /proc file the view serves: only opens are served, other calls see the host's /proc. */
    Verdict openListing(SyscallRequest request, ProcFile listing) {
        String name = request.call().name();
        if (!name.startsWith("open")) {
            return Verdict.CONTINUE;
        }
        try {
            int flags = (int) request.arg(name.equals("open") ? 1 : 2);
            ProcFile.Opened opened = listing.open();
            VirtualFile virtual = new VirtualFile(listing.mount(), listing.path(), opened, flags);
            return listing.announcesChanges() ? signalling(request, virtual, opened, flags) : placeholder(request, virtual, flags);
        } catch (ModuleException e) {
            return Verdict.error(e.errno());
        }
    }

    /**
     * The placeholder of a file whose changes poll as POLLPRI: a Unix stream socket the tracee
     * makes, connected at its return to the view's {@link MountChangeSignals}; every other call
     * on it is served as on any placeholder.
     */
    private Verdict signalling(SyscallRequest request, VirtualFile virtual, ProcFile.Opened opened, int flags) {
        List<Verdict.ArgumentChange> socketCall = List.of(
                Verdict.ArgumentChange.value(0, SocketAddresses.AF_UNIX),
                Verdict.ArgumentChange.value(1, SOCK_STREAM | (flags & O_CLOEXEC)),
                Verdict.ArgumentChange.value(2, 0));
        return Verdict.replace(socket, socketCall, fd -> {
            if (fd < 0) {
                virtual.abandon();
                return;
            }
            opened.signalledBy(mountChanges.connect(request.tgid(), (int) fd));
            request.process().files().open((int) fd, virtual);
            control.trapDescriptor(request.tid(), (int) fd);
        });
    }

    private Verdict open(SyscallRequest request, Resolved where, int flags, int mode) throws ModuleException {
        FileAttributes createdIn = VfsRules.beforeOpen(where.mount().fileSystem(), where, flags);
        if ((flags & O_CREAT) != 0) {
            mode = masked(request, mode);
        }
        try {
            OpenFile file = (flags & O_PATH) != 0 ? pathOnly(where.mount().fileSystem(), where.inMount(), (flags & O_NOFOLLOW) == 0)
                    : where.mount().fileSystem().open(where.inMount(), flags, mode);
            if (createdIn != null) {
                giveToCaller(request, where, createdIn);
            }
            return placeholder(request, new VirtualFile(where.mount(), where.path(), file, flags), flags);
        } catch (SpecialFile special) {
            return openSpecial(request, where, special.attributes());
        }
    }

    /**
     * An O_PATH open: the kernel opens nothing of the file, it only names it (for fstat, fchdir,
     * the *at calls, and glibc's fchmodat of a symlink), so neither does the file system.
     */
    private static OpenFile pathOnly(FileSystem fs, String path, boolean follow) throws ModuleException {
        fs.stat(path, follow);
        return () -> fs.stat(path, follow);
    }

    /**
     * The open of a FIFO or device node of a served file system, made by the kernel on what the
     * node stands for: the view's pipe for the FIFO (the open waits for its other end, in the
     * kernel), the host's device of that number. A socket cannot be opened (ENXIO).
     */
    private Verdict openSpecial(SyscallRequest request, Resolved where, FileAttributes node) throws ModuleException {
        int type = node.mode() & FileAttributes.S_IFMT;
        if (type == FileAttributes.S_IFCHR || type == FileAttributes.S_IFBLK) {
            String device = viewDevice(request, type, node.rdev());
            if (device != null) {
                throw new SymlinkOut(where.inMount(), device); // opened there, as the view's device
            }
        }
        String host = switch (type) {
            case FileAttributes.S_IFIFO -> specials.fifo(node);
            case FileAttributes.S_IFCHR, FileAttributes.S_IFBLK -> specials.hostDevice(type, node.rdev());
            default -> null;
        };
        if (host == null) {
            throw new ModuleException(Errno.ENXIO); // a socket, or no device of that number here
        }
        int path = request.call().args().indexOf(org.umview.syscall.ArgKind.PATH);
        return Verdict.rewrite(List.of(Verdict.ArgumentChange.string(path, host)));
    }

    /**
     * Where the view has a device of that type and number of its own (a umdev mount), or null.
     * Only file systems that answer without waiting are asked.
     */
    private String viewDevice(SyscallRequest request, int type, long number) {
        for (Mount mount : view.mounts().visible(view.of(request.process()))) {
            if (mount.epoch() > request.process().epoch() || mount.fileSystem().mayWaitOnTracees()) {
                continue;
            }
            try {
                FileAttributes device = mount.fileSystem().stat("/", false);
                if ((device.mode() & FileAttributes.S_IFMT) == type && device.rdev() == number) {
                    return mount.target();
                }
            } catch (ModuleException e) {
                // not a device, or gone
            }
        }
        return null;
    }

    /** Leaves a placeholder descriptor in the tracee that stands for {@code virtual} from now on. */
    private Verdict placeholder(SyscallRequest request, VirtualFile virtual, int flags) {
        if (virtual.file() instanceof ConnectedFile file) {
            return connectedSocket(request, virtual, file, flags);
        }
        List<Verdict.ArgumentChange> placeholder = List.of(
                Verdict.ArgumentChange.value(0, AT_FDCWD),
                Verdict.ArgumentChange.string(1, VirtualFile.PLACEHOLDER),
                Verdict.ArgumentChange.value(2, O_RDWR | (flags & O_CLOEXEC)),
                Verdict.ArgumentChange.value(3, 0));
        // Made by the tracee itself, not given by the listener: a thread's first call on a
        // number given that way was seen to run untrapped past the filters' bound.
        return Verdict.replace(openat, placeholder, fd -> {
            if (fd >= 0) {
                request.process().files().open((int) fd, virtual);
                control.trapDescriptor(request.tid(), (int) fd);
            } else {
                virtual.abandon();
            }
        });
    }

    /**
     * The open of a {@link ConnectedFile} becomes socket(2) of a Unix
     * SOCK_SEQPACKET socket (close-on-exec and non-blocking as asked), connected at its return
     * to an end the module gets; the file is found again by the socket's inode.
     */
    private Verdict connectedSocket(SyscallRequest request, VirtualFile virtual, ConnectedFile file, int flags) {
        List<Verdict.ArgumentChange> socketCall = List.of(
                Verdict.ArgumentChange.value(0, SocketAddresses.AF_UNIX),
                Verdict.ArgumentChange.value(1, SOCK_SEQPACKET | (flags & (O_CLOEXEC | O_NONBLOCK))),
                Verdict.ArgumentChange.value(2, 0));
        Verdict.Rewrite madeByTheProgram = (Verdict.Rewrite) Verdict.replace(socket, socketCall, fd -> {
            int end = fd < 0 ? -1 : KernelSockets.pairWith(request.tgid(), fd, SOCK_SEQPACKET);
            if (end < 0) {
                virtual.abandon(); // a program left with an unconnected socket gets ENOTCONN from it
                return;
            }
            file.connected(end);
            connected.add(request.tid(), fd, file);
        });
        return Verdict.descriptor(() -> {
            int[] error = new int[1];
            int[] ends = KernelSockets.pair((flags & O_NONBLOCK) != 0, error);
            if (ends == null) {
                return -error[0];
            }
            file.connected(ends[1]);
            return ends[0];
        }, flags & O_CLOEXEC, fd -> {
            if (fd >= 0) {
                connected.add(request.tid(), fd, file);
            } else {
                virtual.abandon();
            }
        }, madeByTheProgram);
    }

    /** The kernel can only execute host files: it runs a host copy of the served one. */
    private Verdict exec(SyscallRequest request, Resolved where, int pathArgument) throws ModuleException {
        where.mount().fileSystem().access(where.inMount(), X_OK);
        String copy = executables.hostCopy(where);
        return Verdict.rewrite(List.of(Verdict.ArgumentChange.string(pathArgument, copy)));
    }

    private Verdict stat(SyscallRequest request, FileAttributes attributes, int bufferArgument) {
        memory.write(request.tid(), request.arg(bufferArgument), StructLayouts.stat(attributes));
        return Verdict.result(0);
    }

    /** readlink or readlinkat answering {@code target}. */
    Verdict readlinkAnswer(SyscallRequest request, String target) {
        return readlink(request, target, request.call().name().equals("readlink") ? 1 : 2);
    }

    private Verdict readlink(SyscallRequest request, String target, int bufferArgument) {
        byte[] text = target.getBytes(StandardCharsets.UTF_8);
        long size = request.arg(bufferArgument + 1);
        if (size <= 0) {
            return Verdict.error(Errno.EINVAL);
        }
        int length = (int) Math.min(text.length, size);
        memory.write(request.tid(), request.arg(bufferArgument), java.util.Arrays.copyOf(text, length));
        return Verdict.result(length);
    }

    private Verdict chdir(SyscallRequest request, Resolved where) throws ModuleException {
        if (!where.mount().fileSystem().stat(where.inMount(), true).isDirectory()) {
            return Verdict.error(Errno.ENOTDIR);
        }
        if (!request.process().chain().cwdTraps()) {
            return Verdict.prepare(Verdict.Preparation.CWD_TRAPS);
        }
        request.process().fs().setVirtualCwd(where.path());
        return Verdict.result(0);
    }

    private String string(SyscallRequest request, int index) throws ModuleException {
        String text = memory.readString(request.tid(), request.arg(index), PathCalls.PATH_MAX);
        if (text == null) {
            throw new ModuleException(Errno.ENAMETOOLONG);
        }
        return text;
    }

    /** The mode a new file gets: what the caller asked for, less its umask, as the kernel does. */
    private static int masked(SyscallRequest request, int mode) {
        return mode & 07777 & ~ProcStatus.umask(request.tid());
    }

    private static Verdict unsupported(SyscallRequest request) {
        LOG.debug("{} on a served file system is not supported", request.call().name());
        return Verdict.error(Errno.ENOSYS);
    }

    private static Verdict done(ModuleWork.ModuleTask action) throws ModuleException {
        action.run();
        return Verdict.result(0);
    }
}
