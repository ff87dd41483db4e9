package org.umview.dispatch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
    private static final int MAX_TRANSFER = FileTransfers.MAX_TRANSFER;
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
    private final TraceeMemory memory;
    private final ModuleWork work;
    private final ControlChannel.ViewControl control;
    private final FileTransfers transfers;
    private final java.util.function.Function<SyscallRequest, Caller> callers;

    DescriptorCalls(TraceeMemory memory, ModuleWork work, ControlChannel.ViewControl control, FileTransfers transfers,
            java.util.function.Function<SyscallRequest, Caller> callers) {
        this.callers = callers;
        this.memory = memory;
        this.work = work;
        this.control = control;
        this.transfers = transfers;
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

    /**
     * close: the number leaves the table as the call is made, not when it returns: Linux frees
     * it even when close fails, and another thread may be given it again (by an open) before
     * this call's return is seen.
     */
    Verdict close(SyscallRequest request) {
        request.process().files().close((int) request.arg(0));
        return Verdict.CONTINUE;
    }

    /** close_range: as close, for the numbers of a range (unless it only marks them close-on-exec). */
    Verdict closeRange(SyscallRequest request) {
        long first = request.arg(0);
        long last = request.arg(1);
        if ((request.arg(2) & 4 /* CLOSE_RANGE_CLOEXEC */) == 0 && first >= 0 && first <= last && first <= Integer.MAX_VALUE) {
            request.process().files().closeRange((int) first, (int) Math.min(last, Integer.MAX_VALUE));
        }
        return Verdict.CONTINUE;
    }

    /** A call on a descriptor: served from its file if it is virtual, else the kernel's. */
    Verdict decide(SyscallRequest request) {
        String name = request.call().name();
        FdTable files = request.process().files();
        int fdIndex = request.call().args().indexOf(ArgKind.FD);
        VirtualFile file = fdIndex < 0 ? null : files.get((int) request.arg(fdIndex));
        if (file == null) {
            return Verdict.CONTINUE;
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
            Verdict now = needsNoModule(name, request, file);
            now = now != null ? now : transfers.transferNow(name, request, file);
            if (now != null) {
                return now;
            }
            Verdict later = switch (name) {
                case "read" -> transfers.readLater(request, file);
                case "write" -> transfers.writeLater(request, file);
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

    private Verdict serve(String name, SyscallRequest request, FdTable files, VirtualFile file) throws ModuleException {
        return switch (name) {
            case "read", "pread64", "readv", "preadv", "write", "pwrite64", "writev", "pwritev" ->
                    transfers.transfer(name, request, file, false);
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

    /**
     * The verdict of a call the core answers without asking the file system (a seek from the
     * start or the offset, an ioctl the file does not know), or null: a module thread and the
     * wake-ups it costs are kept for calls that may wait on a FUSE program.
     */
    private Verdict needsNoModule(String name, SyscallRequest request, VirtualFile file) {
        try {
            return switch (name) {
                case "lseek" -> request.arg(2) == SEEK_END ? null : lseek(file, request.arg(1), (int) request.arg(2));
                case "ioctl" -> file.file().ioctlArgumentSize(request.arg(1) & 0xffffffffL) < 0 ? Verdict.error(Errno.ENOTTY) : null;
                case "flock", "fadvise64", "readahead", "fgetxattr", "fremovexattr", "flistxattr", "poll", "ppoll", "select",
                        "pselect6", "epoll_ctl" -> serve(name, request, request.process().files(), file);
                default -> null;
            };
        } catch (ModuleException e) {
            return Verdict.error(e.errno());
        }
    }

    private Verdict ioctl(SyscallRequest request, VirtualFile file) throws ModuleException {
        return ioctl(memory, request, file.file());
    }

    /** ioctl on a module's file: the argument's bytes are copied in, served by the file, and copied back. */
    static Verdict ioctl(TraceeMemory memory, SyscallRequest request, org.umview.module.OpenFile file) throws ModuleException {
        long command = request.arg(1) & 0xffffffffL;
        int size = file.ioctlArgumentSize(command);
        if (size < 0) {
            return Verdict.error(Errno.ENOTTY);
        }
        ByteBuffer argument = ByteBuffer.wrap(size == 0 ? new byte[0] : memory.read(request.tid(), request.arg(2), size))
                .order(ByteOrder.LITTLE_ENDIAN);
        long result = file.ioctl(command, request.arg(2), argument, new CallerFiles(request));
        if (size > 0) {
            memory.write(request.tid(), request.arg(2), argument.array());
        }
        return Verdict.result(result);
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

    /** dup2 and dup3: the kernel makes the copy; the table follows. */
    Verdict dup2(SyscallRequest request) {
        FdTable files = request.process().files();
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
