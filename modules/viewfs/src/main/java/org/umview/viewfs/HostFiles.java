package org.umview.viewfs;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.umview.libc.Errno;
import org.umview.module.DirectoryEntry;
import org.umview.module.FileAttributes;
import org.umview.module.FileSystemStats;
import org.umview.module.ModuleException;
import org.umview.module.Timestamp;

/** The host files behind the layered modes, through java.nio, with failures as errno. */
final class HostFiles {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static final LinkOption[] FOLLOW = {};
    private static final int ENOSPC = 28;
    private static final long OVERLAYFS_MAGIC = 0x794c7630L;

    private HostFiles() {
    }

    /** Whether something (a dangling symlink too) is at {@code path}. */
    static boolean exists(Path path) {
        return Files.exists(path, NOFOLLOW);
    }

    static boolean isDirectory(Path path) {
        return Files.isDirectory(path, NOFOLLOW);
    }

    static FileAttributes attributes(Path path, boolean follow) throws ModuleException {
        try {
            Map<String, Object> a = Files.readAttributes(path, "unix:*", follow ? FOLLOW : NOFOLLOW);
            long size = (Long) a.get("size");
            FileTime atime = (FileTime) a.get("lastAccessTime");
            FileTime mtime = (FileTime) a.get("lastModifiedTime");
            FileTime ctime = (FileTime) a.get("ctime");
            return new FileAttributes((Long) a.get("dev"), (Long) a.get("ino"), (Integer) a.get("mode"),
                    (Integer) a.get("nlink"), (Integer) a.get("uid"), (Integer) a.get("gid"), (Long) a.get("rdev"), size,
                    4096, (size + 511) / 512, atime.toInstant().getEpochSecond(), atime.toInstant().getNano(),
                    mtime.toInstant().getEpochSecond(), mtime.toInstant().getNano(), ctime.toInstant().getEpochSecond(),
                    ctime.toInstant().getNano());
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** The listing entry for {@code child}, named {@code name}. */
    static DirectoryEntry entry(String name, Path child) {
        try {
            Map<String, Object> a = Files.readAttributes(child, "unix:ino,mode", NOFOLLOW);
            return new DirectoryEntry(name, (Long) a.get("ino"), ((Integer) a.get("mode") & FileAttributes.S_IFMT) >> 12);
        } catch (IOException e) {
            return new DirectoryEntry(name, 1, DirectoryEntry.DT_UNKNOWN);
        }
    }

    static void setMode(Path path, int mode) throws ModuleException {
        set(path, "unix:mode", mode & 07777, false);
    }

    /** chown(2)'s ids, -1 leaving one as it is; {@code follow} false changes a symlink itself. */
    static void setOwner(Path path, int uid, int gid, boolean follow) throws ModuleException {
        if (uid != -1) {
            set(path, "unix:uid", uid, follow);
        }
        if (gid != -1) {
            set(path, "unix:gid", gid, follow);
        }
    }

    static void setTimes(Path path, Timestamp access, Timestamp modification, boolean follow) throws ModuleException {
        try {
            Files.getFileAttributeView(path, java.nio.file.attribute.BasicFileAttributeView.class, follow ? FOLLOW : NOFOLLOW)
                    .setTimes(time(modification), time(access), null);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    private static FileTime time(Timestamp timestamp) {
        if (timestamp == null) {
            return null;
        }
        if (timestamp.now()) {
            return FileTime.from(java.time.Instant.now());
        }
        return FileTime.from(java.time.Instant.ofEpochSecond(timestamp.seconds(), timestamp.nanos()));
    }

    private static void set(Path path, String attribute, int value, boolean follow) throws ModuleException {
        try {
            Files.setAttribute(path, attribute, value, follow ? FOLLOW : NOFOLLOW);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    static FileSystemStats statfs(Path path) throws ModuleException {
        try {
            FileStore store = Files.getFileStore(path);
            long block = 4096;
            return new FileSystemStats(OVERLAYFS_MAGIC, block, store.getTotalSpace() / block,
                    store.getUnallocatedSpace() / block, store.getUsableSpace() / block, 0, 0, 255, 0);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** The errno the kernel would have given for {@code e}. */
    static ModuleException failure(IOException e) {
        int errno = Errno.EIO;
        if (e instanceof NoSuchFileException) {
            errno = Errno.ENOENT;
        } else if (e instanceof FileAlreadyExistsException) {
            errno = Errno.EEXIST;
        } else if (e instanceof DirectoryNotEmptyException) {
            errno = Errno.ENOTEMPTY;
        } else if (e instanceof AccessDeniedException) {
            errno = Errno.EACCES;
        } else if (e instanceof NotDirectoryException) {
            errno = Errno.ENOTDIR;
        } else if (e instanceof FileSystemException f && f.getReason() != null) {
            errno = errnoOf(f.getReason());
        }
        return new ModuleException(errno, e.getMessage());
    }

    private static int errnoOf(String reason) {
        return switch (reason) {
            case "Is a directory" -> Errno.EISDIR;
            case "Not a directory" -> Errno.ENOTDIR;
            case "No space left on device" -> ENOSPC;
            case "Operation not permitted" -> Errno.EPERM;
            case "Read-only file system" -> Errno.EROFS;
            case "Invalid cross-device link" -> Errno.EXDEV;
            default -> Errno.EIO;
        };
    }
}
