package org.umview.dispatch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umview.libc.Errno;
import org.umview.memory.TraceeMemory;
import org.umview.module.Caller;
import org.umview.module.DirectoryEntry;
import org.umview.module.FileAttributes;
import org.umview.module.ModuleException;
import org.umview.module.Timestamp;
import org.umview.process.FdTable;
import org.umview.process.VirtualFile;
import org.umview.syscall.ArgKind;
import org.umview.syscall.StructLayouts;
import org.umview.syscall.SyscallRequest;
import org.umview.syscall.SyscallTable;
import org.umview.vfs.Permissions;
import org.umview.vfs.VfsRules;

/**
 * Calls on descriptors, trapped in processes that hold virtual ones. A host descriptor goes to
 * the kernel untouched; a virtual one is served from its open file, with the offset kept here.
 * Calls that make, copy or drop descriptors run in the kernel on the placeholder, and the table
 * follows what the kernel did.
 */
final class DescriptorCalls {
    private static final Logger LOG = LoggerFactory.getLogger(DescriptorCalls.class);
    /** The most one read or write moves at a time; callers loop, as with a pipe. */
    private static final int MAX_TRANSFER = 1 << 20;
    private static final int O_APPEND = 02000;
    private static final int O_NONBLOCK = 04000;
    private static final int F_DUPFD = 0;
    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int F_GETLK = 5;
    private static final int F_SETLK = 6;
    private static final int F_SETLKW = 7;
    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final int F_UNLCK = 2;
    private static final int SEEK_SET = 0;
    private static final int SEEK_CUR = 1;
    private static final int SEEK_END = 2;
    private static final int ERANGE = 34;
    private static final int EOPNOTSUPP = 95;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    /** What one emulated transfer moves at most: it passes through the tracee's scratch page. */
    private static final int TRANSFER_CHUNK = 16 * 1024;

    private final TraceeMemory memory;
    private final ModuleWork work;

    private final ControlChannel.ViewControl control;

    private final int writeNumber;
    /** The supervisor's own getdents64, made on the host: the tracees' architecture is the host's. */
    private final int getdents64Number;
    private final int pwriteNumber;

    private final MountedNames hidden;

    private final java.util.function.Function<SyscallRequest, Caller> callers;

    DescriptorCalls(TraceeMemory memory, ModuleWork work, ControlChannel.ViewControl control, SyscallTable table,
            MountedNames hidden, java.util.function.Function<SyscallRequest, Caller> callers) {
        this.callers = callers;
        this.hidden = hidden;
        this.memory = memory;
        this.work = work;
        this.control = control;
        this.writeNumber = table.number("write");
        this.getdents64Number = table.number("getdents64");
        this.pwriteNumber = table.number("pwrite64");
    }

    private static final java.util.Set<String> WRITES = java.util.Set.of("write", "pwrite64", "writev", "pwritev");

    /**
     * A first write by anyone but root through {@code file} takes set-user-ID from it, as the
     * kernel's write does (the file's owner may refuse the change: the write goes on).
     */
    private void dropPrivileges(SyscallRequest request, VirtualFile file) throws ModuleException {
        if (callers.apply(request).root()) {
            return;
        }
        int mode = VfsRules.beforeWrite(file.file().stat());
        if (mode >= 0) {
            try {
                file.mount().fileSystem().chmod(file.mount().relative(file.path()), mode);
            } catch (ModuleException e) {
                // the mount's own ids may not change another's file: the kernel's would
            }
        }
    }

    /** Who makes {@code request}, where {@code file}'s file system checks permissions; else null. */
    private Caller caller(SyscallRequest request, VirtualFile file) {
        return file.mount().fileSystem().enforcesPermissions() ? callers.apply(request) : null;
    }

    /** {@code fd} now refers to {@code file} too: its calls must be trapped from now on. */
    private void duplicated(SyscallRequest request, FdTable files, int fd, VirtualFile file) {
        files.put(fd, file);
        control.trapDescriptor(request.tid(), fd);
    }

    Verdict decide(SyscallRequest request) {
        String name = request.call().name();
        FdTable files = request.process().files();
        switch (name) {
            case "getcwd" -> {
                return getcwd(request);
            }
            case "close" -> {
                return files.get((int) request.arg(0)) == null ? Verdict.CONTINUE
                        : Verdict.watch(result -> files.close((int) request.arg(0)));
            }
            case "close_range" -> {
                return files.isEmpty() ? Verdict.CONTINUE : Verdict.watch(result -> {
                    if (result == 0 && (request.arg(2) & 4 /* CLOSE_RANGE_CLOEXEC */) == 0) {
                        files.closeRange((int) request.arg(0), (int) Math.min(request.arg(1), Integer.MAX_VALUE));
                    }
                });
            }
            case "dup2", "dup3" -> {
                return dup2(request, files);
            }
            case "fchdir" -> {
                VirtualFile file = files.get((int) request.arg(0));
                return file == null ? fchdir(request, null) : work.answer(file.mount().fileSystem(), () -> fchdir(request, file));
            }
            case "sendfile", "copy_file_range", "splice" -> {
                return transfer(request, files);
            }
            case "sendmsg" -> {
                return passesVirtual(request, files, request.arg(1)) ? refusePassing(request) : Verdict.CONTINUE;
            }
            case "sendmmsg" -> {
                for (int i = 0; i < Math.min(request.arg(2), 1024); i++) {
                    if (passesVirtual(request, files, request.arg(1) + 64L * i)) {
                        return refusePassing(request);
                    }
                }
                return Verdict.CONTINUE;
            }
            default -> {
                int fdIndex = request.call().args().indexOf(ArgKind.FD);
                VirtualFile file = fdIndex < 0 ? null : files.get((int) request.arg(fdIndex));
                if (file == null) {
                    return name.equals("getdents64") ? hostListing(request) : Verdict.CONTINUE;
                }
                if (WRITES.contains(name) && file.mount().fileSystem().enforcesPermissions() && file.firstWrite()) {
                    return work.answer(file.mount().fileSystem(), () -> {
                        try {
                            dropPrivileges(request, file);
                            return serve(name, request, files, file);
                        } catch (ModuleException e) {
                            return Verdict.error(e.errno());
                        }
                    });
                }
                if (file.mount().fileSystem().mayWaitOnTracees()) {
                    Verdict now = transferNow(name, request, file);
                    if (now != null) {
                        return now;
                    }
                    Verdict later = switch (name) {
                        case "read" -> readLater(request, file);
                        case "write" -> writeLater(request, file);
                        case "fstat" -> LaterStat.of(memory, request, 1, file.file().statLater(), null);
                        default -> null;
                    };
                    if (later != null) {
                        return later;
                    }
                }
                return work.answer(file.mount().fileSystem(), () -> {
                    try {
                        return serve(name, request, files, file);
                    } catch (ModuleException e) {
                        return Verdict.error(e.errno());
                    }
                });
            }
        }
    }

    /**
     * The kernel lists a host directory; names that hiding mounts removed are taken out, and
     * mounts on names the host lacks are added to the first chunk of the listing.
     */
    private Verdict hostListing(SyscallRequest request) {
        String dir = org.umview.libc.Links.readlink("/proc/" + request.tid() + "/fd/" + request.arg(0));
        if (dir == null) {
            return Verdict.CONTINUE;
        }
        java.util.Set<String> names = hidden.in(dir, request.process());
        List<String> added = hidden.addedIn(dir, request.process());
        if (!added.isEmpty() && !atStart(request.tid(), (int) request.arg(0))) {
            added = List.of();
        }
        if (names.isEmpty() && added.isEmpty()) {
            return Verdict.CONTINUE;
        }
        List<String> adding = added;
        long buffer = request.arg(1);
        long room = request.arg(2);
        int fd = (int) request.arg(0);
        return Verdict.filter(length -> {
            long kept = MountedNames.filter(memory, request.tid(), buffer, length, names);
            if (kept == 0 && length > 0) {
                kept = nextVisible(request, fd, buffer, room, names);
            }
            return MountedNames.append(memory, request.tid(), buffer, kept, room, adding);
        });
    }

    /**
     * The kernel's chunk held only hidden names, and 0 would read as the end of the directory:
     * the supervisor reads on, through its own copy of the descriptor (the same open file, so
     * the directory's offset moves as the program's would), until a chunk keeps a name or the
     * directory ends.
     */
    private long nextVisible(SyscallRequest request, int fd, long buffer, long room, java.util.Set<String> names) {
        int copy = org.umview.libc.Pidfds.copyOf(request.tgid(), fd);
        if (copy < 0) {
            return 0;
        }
        int size = (int) Math.min(room, MAX_TRANSFER);
        jnr.ffi.Pointer chunk = org.umview.libc.Native.allocate(size);
        org.umview.libc.ProcessControl pc = org.umview.libc.Native.processControl();
        try {
            while (true) {
                long read = pc.syscall(getdents64Number, copy, chunk.address(), size);
                if (read <= 0) {
                    return 0;
                }
                byte[] records = new byte[(int) read];
                chunk.get(0, records, 0, records.length);
                memory.write(request.tid(), buffer, records);
                long kept = MountedNames.filter(memory, request.tid(), buffer, read, names);
                if (kept > 0) {
                    return kept;
                }
            }
        } finally {
            pc.close(copy);
        }
    }

    /** Whether host descriptor {@code fd} of {@code tid} is at offset 0 (a listing starting). */
    private static boolean atStart(int tid, int fd) {
        try {
            String info = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + tid + "/fdinfo/" + fd));
            return info.startsWith("pos:\t0\n");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** A path call whose path is empty (AT_EMPTY_PATH) or NULL: it is about the dirfd itself. */
    Verdict onDirfd(SyscallRequest request, int dirfd) {
        VirtualFile file = request.process().files().get(dirfd);
        if (file == null) {
            return Verdict.CONTINUE;
        }
        String name = request.call().name();
        if (file.mount().fileSystem().mayWaitOnTracees() && (name.equals("newfstatat") || name.equals("statx"))) {
            Verdict later = LaterStat.of(memory, request, name.equals("statx") ? 4 : 2, file.file().statLater(), null);
            if (later != null) {
                return later;
            }
        }
        return work.answer(file.mount().fileSystem(), () -> {
            try {
                return switch (request.call().name()) {
                    case "newfstatat" -> write(request, 2, StructLayouts.stat(file.file().stat()));
                    case "statx" -> write(request, 4, StructLayouts.statx(file.file().stat()));
                    case "utimensat" -> {
                        Timestamp[] times = TimeArguments.of(memory, request);
                        Caller caller = caller(request, file);
                        if (caller != null) {
                            Permissions.maySetTimes(file.file().stat(), caller, TimeArguments.explicit(times));
                        }
                        file.mount().fileSystem().setTimes(file.mount().relative(file.path()), times[0], times[1], true);
                        yield Verdict.result(0);
                    }
                    default -> unsupported(request);
                };
            } catch (ModuleException e) {
                return Verdict.error(e.errno());
            }
        });
    }

    /**
     * A read or write the file can do without waiting (a FUSE channel with a request queued,
     * a reply written, data read ahead) is done on this thread: no hand-over to a module
     * thread and back. Null if it must wait.
     */
    private Verdict transferNow(String name, SyscallRequest request, VirtualFile file) {
        try {
            return switch (name) {
                case "read", "pread64", "readv", "preadv", "write", "pwrite64", "writev", "pwritev" ->
                        transfer(name, request, file, true);
                default -> null;
            };
        } catch (ModuleException e) {
            return Verdict.error(e.errno());
        }
    }

    /**
     * A read that waits with no thread waiting for it ({@link OpenFile#readLater}), or null if
     * the file cannot: the caller stays stopped, and a signal for it gives the read up (EINTR).
     */
    private Verdict readLater(SyscallRequest request, VirtualFile file) {
        ByteBuffer data = ByteBuffer.allocate((int) Math.min(Math.max(request.arg(2), 0), MAX_TRANSFER));
        long offset = file.offset();
        java.util.concurrent.CompletableFuture<Integer> read = file.file().readLater(data, offset);
        if (read == null) {
            return null;
        }
        return ModuleWork.whenAnswered(read, n -> {
            if (n > 0) {
                memory.write(request.tid(), request.arg(1), data.array(), 0, n);
            }
            file.setOffset(offset + n);
            return Verdict.result(n);
        });
    }

    /** As {@link #readLater}, for a write at the file's offset (not an appending one: the end must be asked first). */
    private Verdict writeLater(SyscallRequest request, VirtualFile file) {
        if ((file.flags() & O_APPEND) != 0) {
            return null;
        }
        byte[] data = memory.read(request.tid(), request.arg(1), (int) Math.min(Math.max(request.arg(2), 0), MAX_TRANSFER));
        long offset = file.offset();
        java.util.concurrent.CompletableFuture<Integer> written = file.file().writeLater(ByteBuffer.wrap(data), offset);
        if (written == null) {
            return null;
        }
        return ModuleWork.whenAnswered(written, n -> {
            file.setOffset(offset + n);
            return Verdict.result(n);
        });
    }

    /** The read and write family; {@code now}: only if no waiting is needed, else null. */
    private Verdict transfer(String name, SyscallRequest request, VirtualFile file, boolean now) throws ModuleException {
        if (name.startsWith("p") && request.arg(3) < 0) {
            return Verdict.error(Errno.EINVAL); // a negative position, as the kernel refuses it
        }
        return switch (name) {
            case "read" -> read(request, file, request.arg(1), request.arg(2), -1, now);
            case "pread64" -> read(request, file, request.arg(1), request.arg(2), request.arg(3), now);
            case "readv" -> readv(request, file, -1, now);
            case "preadv" -> readv(request, file, request.arg(3), now);
            case "write" -> write(request, file, request.arg(1), request.arg(2), -1, now);
            case "pwrite64" -> write(request, file, request.arg(1), request.arg(2), request.arg(3), now);
            case "writev" -> writev(request, file, -1, now);
            case "pwritev" -> writev(request, file, request.arg(3), now);
            default -> throw new IllegalArgumentException(name);
        };
    }

    private Verdict serve(String name, SyscallRequest request, FdTable files, VirtualFile file) throws ModuleException {
        return switch (name) {
            case "read", "pread64", "readv", "preadv", "write", "pwrite64", "writev", "pwritev" ->
                    transfer(name, request, file, false);
            case "lseek" -> lseek(file, request.arg(1), (int) request.arg(2));
            case "fstat" -> write(request, 1, StructLayouts.stat(file.file().stat()));
            case "getdents64" -> getdents64(request, file);
            case "dup" -> Verdict.watch(fd -> {
                if (fd >= 0) {
                    duplicated(request, files, (int) fd, file);
                }
            });
            case "fcntl" -> fcntl(request, files, file);
            case "ftruncate" -> {
                VfsRules.beforeFtruncate(file.flags(), file.file().stat(), request.arg(1));
                file.file().truncate(request.arg(1));
                yield Verdict.result(0);
            }
            case "fsync", "fdatasync", "syncfs" -> {
                file.file().sync();
                yield Verdict.result(0);
            }
            case "fchmod" -> {
                Caller caller = caller(request, file);
                int mode = (int) request.arg(1);
                file.mount().fileSystem().chmod(file.mount().relative(file.path()),
                        caller == null ? mode : Permissions.mayChmod(file.file().stat(), caller, mode));
                yield Verdict.result(0);
            }
            case "fchown" -> {
                FileAttributes before = file.file().stat();
                Caller caller = caller(request, file);
                if (caller != null) {
                    Permissions.mayChown(before, caller, (int) request.arg(1), (int) request.arg(2));
                }
                file.mount().fileSystem().chown(file.mount().relative(file.path()), (int) request.arg(1), (int) request.arg(2), true);
                int mode = VfsRules.afterChown(before, (int) request.arg(1), (int) request.arg(2));
                if (mode >= 0) {
                    file.mount().fileSystem().chmod(file.mount().relative(file.path()), mode);
                }
                yield Verdict.result(0);
            }
            case "fstatfs" -> write(request, 1,
                    StructLayouts.statfs(file.mount().fileSystem().statfs(file.mount().relative(file.path()))));
            case "ioctl" -> ioctl(request, file);
            case "flock", "fadvise64", "readahead" -> Verdict.result(0);
            case "fgetxattr", "fremovexattr" -> Verdict.error(61 /* ENODATA */);
            case "flistxattr" -> Verdict.result(0);
            case "mmap" -> mmap(request, file);
            // Placeholders are always ready, as regular files are.
            case "poll", "ppoll", "select", "pselect6", "epoll_ctl" -> Verdict.CONTINUE;
            default -> unsupported(request);
        };
    }

    /** ioctl on a virtual file: the argument's bytes are copied in, served by the file, and copied back. */
    private Verdict ioctl(SyscallRequest request, VirtualFile file) throws ModuleException {
        long command = request.arg(1) & 0xffffffffL;
        int size = file.file().ioctlArgumentSize(command);
        if (size < 0) {
            return Verdict.error(Errno.ENOTTY);
        }
        ByteBuffer argument = ByteBuffer.wrap(size == 0 ? new byte[0] : memory.read(request.tid(), request.arg(2), size))
                .order(ByteOrder.LITTLE_ENDIAN);
        long result = file.file().ioctl(command, argument);
        if (size > 0) {
            memory.write(request.tid(), request.arg(2), argument.array());
        }
        return Verdict.result(result);
    }

    private Verdict read(SyscallRequest request, VirtualFile file, long buffer, long count, long at, boolean now)
            throws ModuleException {
        if (!now && file.file().stat().isDirectory()) {
            return Verdict.error(Errno.EISDIR);
        }
        ByteBuffer data = ByteBuffer.allocate((int) Math.min(Math.max(count, 0), MAX_TRANSFER));
        long offset = at >= 0 ? at : file.offset();
        int n = now ? file.file().readNow(data, offset) : file.file().read(data, offset);
        if (n < 0) {
            return null;
        }
        if (n > 0) {
            memory.write(request.tid(), buffer, data.array(), 0, n);
        }
        if (at < 0) {
            file.setOffset(offset + n);
        }
        return Verdict.result(n);
    }

    private Verdict readv(SyscallRequest request, VirtualFile file, long at, boolean now) throws ModuleException {
        long[][] iov = iovecs(request);
        long total = transferLength(iov);
        if (total < 0) {
            return Verdict.error(Errno.EINVAL);
        }
        ByteBuffer data = ByteBuffer.allocate((int) total);
        long offset = at >= 0 ? at : file.offset();
        int n = now ? file.file().readNow(data, offset) : file.file().read(data, offset);
        if (n < 0) {
            return null;
        }
        int done = 0;
        for (long[] v : iov) {
            int part = (int) Math.min(v[1], n - done);
            if (part <= 0) {
                break;
            }
            memory.write(request.tid(), v[0], data.array(), done, part);
            done += part;
        }
        if (at < 0) {
            file.setOffset(offset + n);
        }
        return Verdict.result(n);
    }

    private Verdict write(SyscallRequest request, VirtualFile file, long buffer, long count, long at, boolean now)
            throws ModuleException {
        byte[] data = memory.read(request.tid(), buffer, (int) Math.min(Math.max(count, 0), MAX_TRANSFER));
        return writeAt(file, data, at, now);
    }

    private Verdict writev(SyscallRequest request, VirtualFile file, long at, boolean now) throws ModuleException {
        long[][] iov = iovecs(request);
        long total = transferLength(iov);
        if (total < 0) {
            return Verdict.error(Errno.EINVAL);
        }
        byte[] gathered = new byte[(int) total];
        int done = 0;
        for (long[] v : iov) {
            int part = (int) Math.min(Math.max(v[1], 0), gathered.length - done);
            if (part <= 0) {
                continue;
            }
            memory.read(request.tid(), v[0], gathered, done, part);
            done += part;
        }
        return writeAt(file, gathered, at, now);
    }

    private Verdict writeAt(VirtualFile file, byte[] data, long at, boolean now) throws ModuleException {
        boolean append = (file.flags() & O_APPEND) != 0;
        if (now && append && at < 0) {
            return null; // the end of the file must be asked for
        }
        long offset = at >= 0 ? at : append ? file.file().stat().size() : file.offset();
        int n = now ? file.file().writeNow(ByteBuffer.wrap(data), offset) : file.file().write(ByteBuffer.wrap(data), offset);
        if (n < 0) {
            return null;
        }
        if (at < 0) {
            file.setOffset(offset + n);
        }
        return Verdict.result(n);
    }

    /** What one call moves through {@code iov}, at most MAX_TRANSFER; -1 for a negative length (EINVAL, as the kernel says). */
    private static long transferLength(long[][] iov) {
        long total = 0;
        for (long[] v : iov) {
            if (v[1] < 0) {
                return -1;
            }
            total = Math.min(total + Math.min(v[1], MAX_TRANSFER), MAX_TRANSFER);
        }
        return total;
    }

    private long[][] iovecs(SyscallRequest request) {
        int count = (int) Math.min(Math.max(request.arg(2), 0), 1024);
        ByteBuffer raw = ByteBuffer.wrap(memory.read(request.tid(), request.arg(1), count * 16)).order(ByteOrder.LITTLE_ENDIAN);
        long[][] iov = new long[count][];
        for (int i = 0; i < count; i++) {
            iov[i] = new long[] {raw.getLong(i * 16), raw.getLong(i * 16 + 8)};
        }
        return iov;
    }

    /**
     * sendfile, copy_file_range and splice with a virtual end. From a virtual file to a host
     * descriptor the supervisor reads a chunk into the tracee's scratch memory and the call
     * becomes a write of it, which the kernel does (and may block on) in the tracee; between
     * two virtual files it copies itself. Into a virtual file from a host descriptor the call
     * fails as between unrelated file systems, and callers fall back to read and write.
     */
    private Verdict transfer(SyscallRequest request, FdTable files) {
        String name = request.call().name();
        boolean sendfile = name.equals("sendfile");
        int in = (int) request.arg(sendfile ? 1 : 0);
        int out = (int) request.arg(sendfile ? 0 : 2);
        long inOffsetPointer = request.arg(sendfile ? 2 : 1);
        long outOffsetPointer = sendfile ? 0 : request.arg(3);
        long length = request.arg(sendfile ? 3 : 4);
        VirtualFile source = files.get(in);
        VirtualFile target = files.get(out);
        if (source == null && target == null) {
            return Verdict.CONTINUE;
        }
        if (source == null) {
            return work.answer(target.mount().fileSystem(),
                    () -> fromHost(request, in, target, inOffsetPointer, outOffsetPointer, length));
        }
        return work.answer(source.mount().fileSystem(), () -> {
            try {
                long from = inOffsetPointer != 0 ? readOffset(request, inOffsetPointer) : source.offset();
                ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(Math.max(length, 0), TRANSFER_CHUNK));
                int n = source.file().read(chunk, from);
                byte[] data = java.util.Arrays.copyOf(chunk.array(), Math.max(n, 0));
                if (target != null) {
                    long to = outOffsetPointer != 0 ? readOffset(request, outOffsetPointer) : target.offset();
                    int written = n <= 0 ? 0 : target.file().write(ByteBuffer.wrap(data), to);
                    advance(request, source, inOffsetPointer, from, written);
                    advance(request, target, outOffsetPointer, to, written);
                    return Verdict.result(written);
                }
                if (n <= 0) {
                    return Verdict.result(0);
                }
                List<Verdict.ArgumentChange> write = new java.util.ArrayList<>(List.of(
                        Verdict.ArgumentChange.value(0, out),
                        new Verdict.ArgumentChange(1, 0, data),
                        Verdict.ArgumentChange.value(2, n)));
                int number = writeNumber;
                if (outOffsetPointer != 0) {
                    write.add(Verdict.ArgumentChange.value(3, readOffset(request, outOffsetPointer)));
                    number = pwriteNumber;
                }
                return Verdict.replace(number, write, written -> {
                    if (written > 0) {
                        advance(request, source, inOffsetPointer, from, written);
                        if (outOffsetPointer != 0) {
                            writeOffset(request, outOffsetPointer, readOffset(request, outOffsetPointer) + written);
                        }
                    }
                });
            } catch (ModuleException e) {
                return Verdict.error(e.errno());
            }
        });
    }

    /**
     * copy_file_range, sendfile or splice from host descriptor {@code in} into a virtual file:
     * the supervisor reads the host file through its own copy of the descriptor (the same open
     * file, so its offset moves as the kernel's would). Only files that can be read at any
     * offset: a pipe could make the supervisor wait on a traced writer (EINVAL, and programs
     * fall back to read and write).
     */
    private Verdict fromHost(SyscallRequest request, int in, VirtualFile target, long inOffsetPointer, long outOffsetPointer,
            long length) {
        int copy = org.umview.libc.Pidfds.copyOf(request.tgid(), in);
        if (copy < 0) {
            return Verdict.error(Errno.EBADF);
        }
        java.nio.file.Path file = java.nio.file.Path.of("/proc/self/fd/" + copy);
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
            if (!java.nio.file.Files.isRegularFile(file)) {
                return Verdict.error(Errno.EINVAL);
            }
            org.umview.libc.ProcessControl pc = org.umview.libc.Native.processControl();
            long from = inOffsetPointer != 0 ? readOffset(request, inOffsetPointer) : pc.lseek(copy, 0, SEEK_CUR);
            ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(Math.max(length, 0), MAX_TRANSFER));
            int n = channel.read(chunk, from);
            if (n <= 0) {
                return Verdict.result(0);
            }
            chunk.flip();
            long to = outOffsetPointer != 0 ? readOffset(request, outOffsetPointer) : target.offset();
            int written = target.file().write(chunk, to);
            if (inOffsetPointer != 0) {
                writeOffset(request, inOffsetPointer, from + written);
            } else {
                pc.lseek(copy, from + written, SEEK_SET);
            }
            advance(request, target, outOffsetPointer, to, written);
            return Verdict.result(written);
        } catch (java.io.IOException e) {
            return Verdict.error(Errno.EBADF); // not open for reading
        } catch (ModuleException e) {
            return Verdict.error(e.errno());
        } finally {
            org.umview.libc.Native.processControl().close(copy);
        }
    }

    /** Whether the struct msghdr at {@code header} passes a virtual descriptor (SCM_RIGHTS). */
    private boolean passesVirtual(SyscallRequest request, FdTable files, long header) {
        ByteBuffer msghdr = ByteBuffer.wrap(memory.read(request.tid(), header, 56)).order(ByteOrder.LITTLE_ENDIAN);
        long control = msghdr.getLong(32);
        int controlLength = (int) Math.min(msghdr.getLong(40), 1 << 16);
        if (control == 0 || controlLength < 16) {
            return false;
        }
        ByteBuffer cmsgs = ByteBuffer.wrap(memory.read(request.tid(), control, controlLength)).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at + 16 <= controlLength; ) {
            long length = cmsgs.getLong(at);
            if (length < 16 || at + length > controlLength) {
                break;
            }
            if (cmsgs.getInt(at + 8) == SOL_SOCKET && cmsgs.getInt(at + 12) == SCM_RIGHTS) {
                for (int fd = at + 16; fd + 4 <= at + length; fd += 4) {
                    if (files.get(cmsgs.getInt(fd)) != null) {
                        return true;
                    }
                }
            }
            at += (int) ((length + 7) & ~7L);
        }
        return false;
    }

    /* The receiver would get the placeholder, not the file: better a clear refusal. */
    private static Verdict refusePassing(SyscallRequest request) {
        LOG.warn("process {}: passing a virtual descriptor over a Unix socket is not supported", request.tgid());
        return Verdict.error(EOPNOTSUPP);
    }

    /** Moves the offset the call used: the one in tracee memory if it gave one, else the file's. */
    private void advance(SyscallRequest request, VirtualFile file, long pointer, long from, long moved) {
        if (pointer != 0) {
            writeOffset(request, pointer, from + moved);
        } else {
            file.setOffset(from + moved);
        }
    }

    private long readOffset(SyscallRequest request, long pointer) {
        return ByteBuffer.wrap(memory.read(request.tid(), pointer, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private void writeOffset(SyscallRequest request, long pointer, long value) {
        memory.write(request.tid(), pointer, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    }

    private Verdict lseek(VirtualFile file, long offset, int whence) throws ModuleException {
        long base = switch (whence) {
            case SEEK_SET -> 0;
            case SEEK_CUR -> file.offset();
            case SEEK_END -> file.file().stat().size();
            default -> -1;
        };
        if (base < 0 || base + offset < 0) {
            return Verdict.error(Errno.EINVAL);
        }
        file.setOffset(base + offset);
        return Verdict.result(base + offset);
    }

    /** Directory offsets are entry indices: stable for one open, as telldir/seekdir need. */
    private Verdict getdents64(SyscallRequest request, VirtualFile file) throws ModuleException {
        List<DirectoryEntry> entries = file.listing(file.file()::list);
        long room = Math.min(request.arg(2), MAX_TRANSFER);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        long index = file.offset();
        while (index < entries.size()) {
            byte[] record = StructLayouts.dirent64(entries.get((int) index), index + 1);
            if (out.size() + record.length > room) {
                break;
            }
            out.writeBytes(record);
            index++;
        }
        if (out.size() == 0 && index < entries.size()) {
            return Verdict.error(Errno.EINVAL);
        }
        file.setOffset(index);
        if (out.size() > 0) {
            memory.write(request.tid(), request.arg(1), out.toByteArray());
        }
        return Verdict.result(out.size());
    }

    private Verdict fcntl(SyscallRequest request, FdTable files, VirtualFile file) {
        int command = (int) request.arg(1);
        return switch (command) {
            case F_DUPFD, F_DUPFD_CLOEXEC -> Verdict.watch(fd -> {
                if (fd >= 0) {
                    duplicated(request, files, (int) fd, file);
                }
            });
            case F_GETFL -> Verdict.result(file.flags());
            case F_SETFL -> {
                int changeable = O_APPEND | O_NONBLOCK;
                file.setFlags((file.flags() & ~changeable) | ((int) request.arg(2) & changeable));
                yield Verdict.result(0);
            }
            case F_GETLK -> {
                // No other process holds a lock on a virtual file: l_type = F_UNLCK.
                memory.write(request.tid(), request.arg(2), new byte[] {F_UNLCK, 0});
                yield Verdict.result(0);
            }
            case F_SETLK, F_SETLKW -> Verdict.result(0);
            default -> Verdict.CONTINUE; // F_GETFD/F_SETFD: the placeholder keeps close-on-exec
        };
    }

    private Verdict dup2(SyscallRequest request, FdTable files) {
        int from = (int) request.arg(0);
        int to = (int) request.arg(1);
        VirtualFile file = files.get(from);
        if (from == to || (file == null && files.get(to) == null)) {
            return Verdict.CONTINUE;
        }
        return Verdict.watch(result -> {
            if (result >= 0) {
                if (file != null) {
                    duplicated(request, files, to, file);
                } else {
                    files.close(to);
                }
            }
        });
    }

    private Verdict fchdir(SyscallRequest request, VirtualFile file) {
        if (file == null) {
            if (request.process().fs().virtualCwd() == null) {
                return Verdict.CONTINUE;
            }
            return Verdict.watch(result -> {
                if (result == 0) {
                    request.process().fs().setVirtualCwd(null);
                }
            });
        }
        try {
            if (!file.file().stat().isDirectory()) {
                return Verdict.error(Errno.ENOTDIR);
            }
        } catch (ModuleException e) {
            return Verdict.error(e.errno());
        }
        request.process().fs().setVirtualCwd(file.path());
        return Verdict.result(0);
    }

    private Verdict getcwd(SyscallRequest request) {
        String cwd = request.process().fs().virtualCwd();
        if (cwd == null) {
            return Verdict.CONTINUE;
        }
        byte[] text = (cwd + "\0").getBytes(StandardCharsets.UTF_8);
        if (request.arg(1) < text.length) {
            return Verdict.error(ERANGE);
        }
        memory.write(request.tid(), request.arg(0), text);
        return Verdict.result(text.length);
    }

    /**
     * A map of a virtual file: anonymous memory the supervisor fills with the file's bytes
     * (through /proc/PID/mem, so read-only maps work too); private (or read-only shared) maps
     * are copies, writable shared ones are shared memory written back to the file later
     * ({@link SharedMapCalls}). The bytes are read before the call, where a module may wait;
     * the copy is made at its exit.
     */
    private Verdict mmap(SyscallRequest request, VirtualFile file) throws ModuleException {
        long length = request.arg(1);
        long flags = request.arg(3);
        long offset = request.arg(5);
        boolean shared = (flags & 0x03) != 0x02; /* not MAP_PRIVATE */
        boolean writeBack = shared && (request.arg(2) & 0x2 /* PROT_WRITE */) != 0;
        if (writeBack && (file.flags() & 03) != 02 /* O_RDWR */) {
            return Verdict.error(Errno.EACCES);
        }
        flags = (flags & ~0x03L) | (writeBack ? 0x01 : 0x02);
        long size = Math.min(length, Math.max(0, file.file().stat().size() - offset));
        java.io.ByteArrayOutputStream contents = new java.io.ByteArrayOutputStream();
        while (contents.size() < size) {
            ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(size - contents.size(), MAX_TRANSFER));
            int n = file.file().read(chunk, offset + contents.size());
            if (n <= 0) {
                break;
            }
            contents.write(chunk.array(), 0, n);
        }
        byte[] bytes = contents.toByteArray();
        List<Verdict.ArgumentChange> anonymous = List.of(
                Verdict.ArgumentChange.value(3, flags | 0x20 /* MAP_ANONYMOUS */),
                Verdict.ArgumentChange.value(4, -1),
                Verdict.ArgumentChange.value(5, 0));
        return Verdict.replace(Verdict.SAME_CALL, anonymous, address -> {
            if (address < 0 && address >= -4095) {
                return;
            }
            if (bytes.length > 0) {
                memory.write(request.tid(), address, bytes);
            }
            if (writeBack) {
                request.process().maps().add(address, length, file, offset, bytes);
                control.trapMaps(request.tid());
            }
        });
    }

    private Verdict write(SyscallRequest request, int bufferArgument, byte[] struct) {
        memory.write(request.tid(), request.arg(bufferArgument), struct);
        return Verdict.result(0);
    }

    private static Verdict unsupported(SyscallRequest request) {
        LOG.debug("{} on a virtual descriptor is not supported", request.call().name());
        return Verdict.error(Errno.ENOSYS);
    }
}
