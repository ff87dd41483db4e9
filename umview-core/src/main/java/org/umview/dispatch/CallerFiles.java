package org.umview.dispatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.umview.libc.Errno;
import org.umview.libc.Links;
import org.umview.module.CallerDescriptors;
import org.umview.module.FileAttributes;
import org.umview.module.HeldFile;
import org.umview.module.ModuleException;
import org.umview.process.VirtualFile;
import org.umview.syscall.SyscallRequest;

/**
 * The caller's descriptors as a module may take one over (LOOP_SET_FD): a host descriptor is
 * opened again through /proc/TID/fd/N, which reaches the same file even once renamed or
 * deleted, with the access the descriptor has; a served one is kept open as by one more
 * descriptor.
 */
final class CallerFiles implements CallerDescriptors {
    private static final int O_ACCMODE = 3;
    private static final int O_RDONLY = 0;

    private final SyscallRequest request;

    CallerFiles(SyscallRequest request) {
        this.request = request;
    }

    @Override
    public HeldFile hold(int fd) throws ModuleException {
        VirtualFile served = request.process().files().get(fd);
        if (served != null) {
            served.keep();
            return new ServedFile(served);
        }
        String link = "/proc/" + request.tid() + "/fd/" + fd;
        String path = Links.readlink(link);
        if (path == null) {
            throw new ModuleException(Errno.EBADF);
        }
        boolean writable = (flags(fd) & O_ACCMODE) != O_RDONLY;
        try {
            FileChannel channel = writable ? FileChannel.open(Path.of(link), StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : FileChannel.open(Path.of(link), StandardOpenOption.READ);
            Map<String, Object> unix = Files.readAttributes(Path.of(link), "unix:dev,ino,rdev,mode");
            return new HostFile(channel, path, writable, (Long) unix.get("dev"), (Long) unix.get("ino"), (Long) unix.get("rdev"),
                    (Integer) unix.get("mode"));
        } catch (IOException | UnsupportedOperationException e) {
            throw new ModuleException(Errno.EACCES, "cannot open " + path + " again: " + e.getMessage());
        }
    }

    /** The descriptor's status flags, as /proc/TID/fdinfo/N says. */
    private int flags(int fd) throws ModuleException {
        int flags = org.umview.process.FdInfo.flags(request.tid(), fd);
        if (flags < 0) {
            throw new ModuleException(Errno.EBADF);
        }
        return flags;
    }

    /** A file of a served file system, kept open as one more descriptor would. */
    private record ServedFile(VirtualFile file) implements HeldFile {
        @Override
        public String path() {
            return file.path();
        }

        @Override
        public boolean writable() {
            return (file.flags() & O_ACCMODE) != O_RDONLY;
        }

        @Override
        public FileAttributes stat() throws ModuleException {
            return file.file().stat();
        }

        @Override
        public int read(ByteBuffer into, long offset) throws ModuleException {
            return file.file().read(into, offset);
        }

        @Override
        public int write(ByteBuffer from, long offset) throws ModuleException {
            return file.file().write(from, offset);
        }

        @Override
        public void sync() throws ModuleException {
            file.file().sync();
        }

        @Override
        public void close() {
            file.letGo();
        }
    }

    /** A host file held open by the supervisor. */
    private record HostFile(FileChannel channel, String path, boolean writable, long device, long inode, long rdev, int mode)
            implements HeldFile {
        @Override
        public FileAttributes stat() throws ModuleException {
            try {
                return new FileAttributes(device, inode, mode, 1, 0, 0, rdev, channel.size(), 4096, 0, 0, 0, 0, 0, 0, 0);
            } catch (IOException e) {
                throw new ModuleException(Errno.EIO, path + ": " + e.getMessage());
            }
        }

        @Override
        public int read(ByteBuffer into, long offset) throws ModuleException {
            try {
                int n = channel.read(into, offset);
                return Math.max(n, 0);
            } catch (IOException e) {
                throw new ModuleException(Errno.EIO, path + ": " + e.getMessage());
            }
        }

        @Override
        public int write(ByteBuffer from, long offset) throws ModuleException {
            if (!writable) {
                throw new ModuleException(Errno.EBADF);
            }
            try {
                return channel.write(from, offset);
            } catch (IOException e) {
                throw new ModuleException(Errno.EIO, path + ": " + e.getMessage());
            }
        }

        @Override
        public void sync() throws ModuleException {
            try {
                channel.force(false);
            } catch (IOException e) {
                throw new ModuleException(Errno.EIO, path + ": " + e.getMessage());
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // a read-and-write file's data went out with each write
            }
        }
    }
}
