package org.umview.testmods;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import org.umview.libc.Native;
import org.umview.module.DirectoryEntry;
import org.umview.module.FileAttributes;
import org.umview.module.FileSystem;
import org.umview.module.FileSystemStats;
import org.umview.module.ModuleException;
import org.umview.module.OpenFile;
import org.umview.module.SpecialFile;
import org.umview.module.Timestamp;
import org.umview.syscall.StructLayouts;

/** The host tree under {@code root}, each call made by the supervisor on the tracee's behalf. */
final class UnrealFileSystem implements FileSystem {
    private static final HostLibC HOST = LibraryLoader.create(HostLibC.class).load("c");
    private static final int BUFFER = 1 << 20;
    private static final int O_DIRECTORY = 0200000;
    private static final int O_CLOEXEC = 02000000;
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final long UTIME_NOW = (1L << 30) - 1;
    private static final long UTIME_OMIT = (1L << 30) - 2;
    private static final ThreadLocal<Pointer> BUFFERS = ThreadLocal.withInitial(() -> Native.allocate(BUFFER));

    private final HostRoot root;
    private final boolean async;

    UnrealFileSystem(HostRoot root, boolean async) {
        this.root = root;
        this.async = async;
    }

    @Override
    public boolean mayWaitOnTracees() {
        return async;
    }

    private String host(String path) {
        return root.host(path);
    }

    @Override
    public FileAttributes stat(String path, boolean follow) throws ModuleException {
        Pointer buf = BUFFERS.get();
        check(follow ? HOST.stat(host(path), buf) : HOST.lstat(host(path), buf));
        return attributes(buf);
    }

    @Override
    public OpenFile open(String path, int flags, int mode) throws ModuleException {
        Pointer buf = BUFFERS.get();
        if (HOST.stat(host(path), buf) == 0 && SpecialFile.is(attributes(buf))) {
            throw new SpecialFile(attributes(buf)); // the supervisor must never wait in the open of a FIFO
        }
        // Every descriptor of the host is the supervisor's own: none may leak into its children.
        int fd = check(HOST.open(host(path), flags | O_CLOEXEC, mode));
        return new HostFile(fd);
    }

    @Override
    public String readlink(String path) throws ModuleException {
        Pointer buf = BUFFERS.get();
        long length = check(HOST.readlink(host(path), buf, 4096));
        byte[] text = new byte[(int) length];
        buf.get(0, text, 0, text.length);
        return new String(text, StandardCharsets.UTF_8);
    }

    @Override
    public void mkdir(String path, int mode) throws ModuleException {
        check(HOST.mkdir(host(path), mode));
    }

    @Override
    public void rmdir(String path) throws ModuleException {
        check(HOST.rmdir(host(path)));
    }

    @Override
    public void unlink(String path) throws ModuleException {
        check(HOST.unlink(host(path)));
    }

    @Override
    public void rename(String from, String to) throws ModuleException {
        check(HOST.rename(host(from), host(to)));
    }

    @Override
    public void symlink(String target, String path) throws ModuleException {
        check(HOST.symlink(target, host(path)));
    }

    @Override
    public void link(String from, String to) throws ModuleException {
        check(HOST.link(host(from), host(to)));
    }

    @Override
    public void chmod(String path, int mode) throws ModuleException {
        check(HOST.chmod(host(path), mode));
    }

    @Override
    public void chown(String path, int uid, int gid, boolean follow) throws ModuleException {
        check(follow ? HOST.chown(host(path), uid, gid) : HOST.lchown(host(path), uid, gid));
    }

    @Override
    public void setTimes(String path, Timestamp access, Timestamp modification, boolean follow) throws ModuleException {
        Pointer times = BUFFERS.get();
        time(times, 0, access);
        time(times, 16, modification);
        check(HOST.utimensat(AT_FDCWD, host(path), times, follow ? 0 : AT_SYMLINK_NOFOLLOW));
    }

    /** A struct timespec of utimensat(2): UTIME_OMIT for null, UTIME_NOW for now. */
    private static void time(Pointer times, int offset, Timestamp timestamp) {
        times.putLong(offset, timestamp == null || timestamp.now() ? 0 : timestamp.seconds());
        times.putLong(offset + 8, timestamp == null ? UTIME_OMIT : timestamp.now() ? UTIME_NOW : timestamp.nanos());
    }

    @Override
    public void mknod(String path, int mode, long device) throws ModuleException {
        check(HOST.mknod(host(path), mode, device));
    }

    @Override
    public void truncate(String path, long length) throws ModuleException {
        check(HOST.truncate(host(path), length));
    }

    @Override
    public void access(String path, int mode) throws ModuleException {
        check(HOST.access(host(path), mode));
    }

    @Override
    public FileSystemStats statfs(String path) throws ModuleException {
        Pointer buf = BUFFERS.get();
        check(HOST.statfs(host(path), buf));
        byte[] raw = new byte[StructLayouts.STATFS_SIZE];
        buf.get(0, raw, 0, raw.length);
        return StructLayouts.statfs(raw);
    }

    private static FileAttributes attributes(Pointer buf) {
        byte[] raw = new byte[StructLayouts.STAT_SIZE];
        buf.get(0, raw, 0, raw.length);
        return StructLayouts.stat(raw);
    }

    private static long check(long result) throws ModuleException {
        if (result < 0) {
            throw new ModuleException(Native.errno());
        }
        return result;
    }

    private static int check(int result) throws ModuleException {
        return (int) check((long) result);
    }

    /** A host descriptor held by the supervisor for one virtual open file. */
    private static final class HostFile implements OpenFile {
        private final int fd;

        HostFile(int fd) {
            this.fd = fd;
        }

        @Override
        public int read(ByteBuffer into, long offset) throws ModuleException {
            Pointer buf = BUFFERS.get();
            int count = (int) check(HOST.pread(fd, buf, Math.min(into.remaining(), BUFFER), offset));
            byte[] data = new byte[count];
            buf.get(0, data, 0, count);
            into.put(data);
            return count;
        }

        @Override
        public int write(ByteBuffer from, long offset) throws ModuleException {
            Pointer buf = BUFFERS.get();
            int count = Math.min(from.remaining(), BUFFER);
            byte[] data = new byte[count];
            from.get(data);
            buf.put(0, data, 0, count);
            int written = (int) check(HOST.pwrite(fd, buf, count, offset));
            from.position(from.position() - (count - written));
            return written;
        }

        @Override
        public FileAttributes stat() throws ModuleException {
            Pointer buf = BUFFERS.get();
            check(HOST.fstat(fd, buf));
            return attributes(buf);
        }

        @Override
        public List<DirectoryEntry> list() throws ModuleException {
            Pointer buf = BUFFERS.get();
            List<DirectoryEntry> entries = new ArrayList<>();
            // A fresh descriptor: the listing must start from the beginning whatever was read before.
            int dir = check(HOST.open("/proc/self/fd/" + fd, O_DIRECTORY | O_CLOEXEC, 0));
            try {
                while (true) {
                    int n = (int) check(HOST.getdents64(dir, buf, BUFFER));
                    if (n == 0) {
                        return entries;
                    }
                    byte[] raw = new byte[n];
                    buf.get(0, raw, 0, n);
                    ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
                    for (int at = 0; at < n; ) {
                        int length = b.getShort(at + 16) & 0xffff;
                        int end = at + 19;
                        while (raw[end] != 0) {
                            end++;
                        }
                        String name = new String(raw, at + 19, end - at - 19, StandardCharsets.UTF_8);
                        entries.add(new DirectoryEntry(name, b.getLong(at), raw[at + 18] & 0xff));
                        at += length;
                    }
                }
            } finally {
                HOST.close(dir);
            }
        }

        @Override
        public void truncate(long length) throws ModuleException {
            check(HOST.ftruncate(fd, length));
        }

        @Override
        public void sync() throws ModuleException {
            check(HOST.fsync(fd));
        }

        @Override
        public void close() {
            HOST.close(fd);
        }
    }
}
