package org.umview.dispatch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.umview.libc.Errno;
import org.umview.memory.TraceeMemory;
import org.umview.module.ModuleException;
import org.umview.process.FdTable;
import org.umview.process.VirtualFile;
import org.umview.syscall.SyscallRequest;
import org.umview.syscall.SyscallTable;

/**
 * Data moved to and from virtual files: the read and write family at the file's offset or a
 * given one, and sendfile, copy_file_range and splice with a virtual end.
 */
final class FileTransfers {
    /** The most one read or write moves at a time; callers loop, as with a pipe. */
    static final int MAX_TRANSFER = 1 << 20;
    static final java.util.Set<String> READS_AND_WRITES = java.util.Set.of("read", "pread64", "readv", "preadv", "write",
            "pwrite64", "writev", "pwritev");
    private static final int O_APPEND = 02000;
    private static final int SEEK_SET = 0;
    private static final int SEEK_CUR = 1;
    /** What one emulated transfer moves at most: it passes through the tracee's scratch page. */
    private static final int TRANSFER_CHUNK = 16 * 1024;

    private final TraceeMemory memory;
    private final ModuleWork work;
    private final int writeNumber;
    private final int pwriteNumber;

    FileTransfers(TraceeMemory memory, ModuleWork work, SyscallTable table) {
        this.memory = memory;
        this.work = work;
        this.writeNumber = table.number("write");
        this.pwriteNumber = table.number("pwrite64");
    }

    /**
     * A read or write the file can do without waiting (a FUSE channel with a request queued,
     * a reply written, data read ahead) is done on this thread: no hand-over to a module
     * thread and back. Null if it must wait.
     */
    Verdict transferNow(String name, SyscallRequest request, VirtualFile file) {
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
    Verdict readLater(SyscallRequest request, VirtualFile file) {
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
    Verdict writeLater(SyscallRequest request, VirtualFile file) {
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
    Verdict transfer(String name, SyscallRequest request, VirtualFile file, boolean now) throws ModuleException {
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

    /**
     * write and pwrite64. Off the tracer thread ({@code now} false) a write longer than one
     * transfer is made in as many as it takes, as the kernel writes a file or device whole
     * (mke2fs takes a short write to a disk for an error); it stops at the first short one.
     */
    private Verdict write(SyscallRequest request, VirtualFile file, long buffer, long count, long at, boolean now)
            throws ModuleException {
        long total = Math.max(count, 0);
        byte[] data = memory.read(request.tid(), buffer, (int) Math.min(total, MAX_TRANSFER));
        if (now || total <= MAX_TRANSFER) {
            return writeAt(file, data, at, now);
        }
        long done = 0;
        while (done < total) {
            if (done > 0) {
                data = memory.read(request.tid(), buffer + done, (int) Math.min(total - done, MAX_TRANSFER));
            }
            Verdict part = writeAt(file, data, at < 0 ? -1 : at + done, false);
            long n = part instanceof Verdict.Result result ? result.value() : -1;
            if (n <= 0) {
                return done > 0 ? Verdict.result(done) : part;
            }
            done += n;
            if (n < data.length) {
                break;
            }
        }
        return Verdict.result(done);
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
    Verdict copy(SyscallRequest request) {
        FdTable files = request.process().files();
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
}
