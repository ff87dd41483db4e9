package org.umview.dispatch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umview.libc.Errno;
import org.umview.memory.TraceeMemory;
import org.umview.module.FileAttributes;
import org.umview.module.FileSystem;
import org.umview.module.ModuleException;
import org.umview.module.OpenFile;
import org.umview.module.Timestamp;
import org.umview.path.Resolved;
import org.umview.process.ProcStatus;
import org.umview.process.VirtualFile;
import org.umview.syscall.StructLayouts;
import org.umview.syscall.SyscallRequest;
import org.umview.syscall.SyscallTable;
import org.umview.view.Mount;

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
    private static final int O_CLOEXEC = 02000000;
    private static final int RENAME_NOREPLACE = 1;
    private static final int ENODATA = 61;
    private static final int ENOTSUP = 95;

    private static final int X_OK = 1;

    private final TraceeMemory memory;
    private final ExecutableCopies executables;
    private final int openat;

    private final ControlChannel.ViewControl control;

    FileCalls(TraceeMemory memory, SyscallTable table, ExecutableCopies executables, ControlChannel.ViewControl control) {
        this.memory = memory;
        this.control = control;
        this.executables = executables;
        this.openat = table.number("openat");
    }

    Verdict serve(SyscallRequest request, List<PathArgument> arguments, List<Resolved> paths) {
        Resolved first = paths.get(0);
        Mount mount = first.mount();
        FileSystem fs = mount == null ? null : mount.fileSystem();
        String name = request.call().name();
        try {
            if (paths.size() == 2) {
                return twoPaths(name, request, paths);
            }
            String path = first.inMount();
            return switch (name) {
                case "open" -> open(request, first, (int) request.arg(1), (int) request.arg(2));
                case "creat" -> open(request, first, O_CREAT | O_WRONLY | O_TRUNC, (int) request.arg(1));
                case "openat" -> open(request, first, (int) request.arg(2), (int) request.arg(3));
                case "openat2" -> {
                    ByteBuffer how = ByteBuffer.wrap(memory.read(request.tid(), request.arg(2), 16)).order(ByteOrder.LITTLE_ENDIAN);
                    yield open(request, first, (int) how.getLong(0), (int) how.getLong(8));
                }
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
                case "mkdir" -> done(() -> fs.mkdir(path, masked(request, (int) request.arg(1))));
                case "mkdirat" -> done(() -> fs.mkdir(path, masked(request, (int) request.arg(2))));
                case "rmdir" -> path.equals("/") ? Verdict.error(Errno.EBUSY) : done(() -> fs.rmdir(path));
                case "unlink" -> done(() -> fs.unlink(path));
                case "unlinkat" -> done(() -> {
                    if ((request.arg(2) & AT_REMOVEDIR) != 0) {
                        fs.rmdir(path);
                    } else {
                        fs.unlink(path);
                    }
                });
                case "symlink" -> done(() -> fs.symlink(string(request, 0), path));
                case "symlinkat" -> done(() -> fs.symlink(string(request, 0), path));
                case "chmod" -> done(() -> fs.chmod(path, (int) request.arg(1)));
                case "fchmodat", "fchmodat2" -> done(() -> fs.chmod(path, (int) request.arg(2)));
                case "truncate" -> request.arg(1) < 0 ? Verdict.error(Errno.EINVAL) : done(() -> fs.truncate(path, request.arg(1)));
                case "statfs" -> {
                    memory.write(request.tid(), request.arg(1), StructLayouts.statfs(fs.statfs(path)));
                    yield Verdict.result(0);
                }
                case "execve" -> exec(request, first, 0);
                case "execveat" -> exec(request, first, 1);
                case "chdir" -> chdir(request, first);
                case "chown", "lchown" -> done(() -> fs.chown(path, (int) request.arg(1), (int) request.arg(2)));
                case "fchownat" -> done(() -> fs.chown(path, (int) request.arg(2), (int) request.arg(3)));
                case "getxattr", "lgetxattr", "removexattr", "lremovexattr" -> Verdict.error(ENODATA);
                case "listxattr", "llistxattr" -> Verdict.result(0);
                case "setxattr", "lsetxattr" -> Verdict.error(ENOTSUP);
                case "utimensat", "utime", "utimes", "futimesat" -> {
                    Timestamp[] times = TimeArguments.of(memory, request);
                    yield done(() -> fs.setTimes(path, times[0], times[1]));
                }
                default -> unsupported(request);
            };
        } catch (ModuleException e) {
            return Verdict.error(e.errno());
        }
    }

    /**
     * A stat of a served path answered when the file system's reply comes ({@link
     * FileSystem#statLater}), with no thread waiting for it; null if it cannot be.
     */
    Verdict statLater(SyscallRequest request, List<PathArgument> arguments, List<Resolved> paths) {
        String name = request.call().name();
        int buffer = switch (name) {
            case "stat", "lstat" -> 1;
            case "newfstatat" -> 2;
            case "statx" -> 4;
            default -> -1;
        };
        if (buffer < 0 || paths.size() != 1) {
            return null;
        }
        return LaterStat.of(memory, request, buffer,
                paths.get(0).mount().fileSystem().statLater(paths.get(0).inMount(), arguments.get(0).followLast()));
    }

    /**
     * An open of a served path answered when the file system's reply comes ({@link
     * FileSystem#openLater}), with no thread waiting for it; null if it cannot be. A file
     * opened after the caller gave up (EINTR) is closed.
     */
    Verdict openLater(SyscallRequest request, List<Resolved> paths) {
        String name = request.call().name();
        if (paths.size() != 1 || !(name.equals("open") || name.equals("openat"))) {
            return null;
        }
        int flags = (int) request.arg(name.equals("open") ? 1 : 2);
        Resolved where = paths.get(0);
        java.util.concurrent.CompletableFuture<OpenFile> opened = where.mount().fileSystem()
                .openLater(where.inMount(), flags, (int) request.arg(name.equals("open") ? 2 : 3));
        if (opened == null) {
            return null;
        }
        java.util.concurrent.CompletableFuture<Verdict> answer = new java.util.concurrent.CompletableFuture<>();
        opened.whenComplete((file, failure) -> {
            if (failure != null) {
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
        // What the kernel's VFS checks before a file system sees the call (FUSE programs rely on it).
        if (from.inMount().equals("/") || to.inMount().equals("/")) {
            return Verdict.error(Errno.EBUSY);
        }
        if (name.startsWith("rename") && to.inMount().startsWith(from.inMount() + "/")) {
            return Verdict.error(Errno.EINVAL);
        }
        if (name.startsWith("link") && fs.stat(from.inMount(), false).isDirectory()) {
            return Verdict.error(Errno.EPERM);
        }
        return switch (name) {
            case "rename", "renameat" -> done(() -> fs.rename(from.inMount(), to.inMount()));
            case "renameat2" -> done(() -> {
                long flags = request.arg(4);
                if ((flags & ~RENAME_NOREPLACE) != 0) {
                    throw new ModuleException(Errno.EINVAL);
                }
                if (flags != 0 && exists(fs, to.inMount())) {
                    throw new ModuleException(Errno.EEXIST);
                }
                fs.rename(from.inMount(), to.inMount());
            });
            case "link", "linkat" -> done(() -> fs.link(from.inMount(), to.inMount()));
            default -> unsupported(request);
        };
    }

    /** An open of a mount listing: only opens are served, other calls see the host's /proc. */
    Verdict openListing(SyscallRequest request, MountListings.Listing listing) {
        String name = request.call().name();
        if (!name.startsWith("open")) {
            return Verdict.CONTINUE;
        }
        try {
            int flags = (int) request.arg(name.equals("open") ? 1 : 2);
            return placeholder(request, new VirtualFile(listing.mount(), listing.path(), listing.open(), flags), flags);
        } catch (ModuleException e) {
            return Verdict.error(e.errno());
        }
    }

    private Verdict open(SyscallRequest request, Resolved where, int flags, int mode) throws ModuleException {
        if ((flags & O_CREAT) != 0) {
            mode = masked(request, mode);
        }
        OpenFile file = where.mount().fileSystem().open(where.inMount(), flags, mode);
        return placeholder(request, new VirtualFile(where.mount(), where.path(), file, flags), flags);
    }

    /** Leaves a placeholder descriptor in the tracee that stands for {@code virtual} from now on. */
    private Verdict placeholder(SyscallRequest request, VirtualFile virtual, int flags) {
        List<Verdict.ArgumentChange> placeholder = List.of(
                Verdict.ArgumentChange.value(0, AT_FDCWD),
                Verdict.ArgumentChange.string(1, VirtualFile.PLACEHOLDER),
                Verdict.ArgumentChange.value(2, O_RDWR | (flags & O_CLOEXEC)),
                Verdict.ArgumentChange.value(3, 0));
        return Verdict.replace(openat, placeholder, fd -> {
            if (fd >= 0) {
                request.process().files().open((int) fd, virtual);
                control.trapDescriptor(request.tid(), (int) fd);
            } else {
                virtual.abandon();
            }
        });
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
        if (!request.process().cwdTraps()) {
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

    private static boolean exists(FileSystem fs, String path) {
        try {
            fs.stat(path, false);
            return true;
        } catch (ModuleException e) {
            return false;
        }
    }

    private static Verdict unsupported(SyscallRequest request) {
        LOG.debug("{} on a served file system is not supported", request.call().name());
        return Verdict.error(Errno.ENOSYS);
    }

    private static Verdict done(ModuleAction action) throws ModuleException {
        action.run();
        return Verdict.result(0);
    }

    /** A module call whose only result is success or an errno. */
    @FunctionalInterface
    private interface ModuleAction {
        void run() throws ModuleException;
    }
}
