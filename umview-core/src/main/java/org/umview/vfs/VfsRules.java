package org.umview.vfs;

import org.umview.libc.Errno;
import org.umview.module.FileAttributes;
import org.umview.module.FileSystem;
import org.umview.module.ModuleException;
import org.umview.path.Resolved;

/**
 * What the kernel's VFS checks before it asks a file system (namei's "." and "..", may_create,
 * may_delete, the type checks of rename and open): a served file system is asked only what a
 * kernel file system would be asked. FUSE programs rely on it: fuse2fs answers a mkdir of an
 * existing name with EIO and turns the image read-only, and a mkdir of "." with 0 and a
 * damaged directory.
 */
public final class VfsRules {
    private static final int O_ACCMODE = 03;
    private static final int O_CREAT = 0100;
    private static final int O_EXCL = 0200;
    private static final int O_TRUNC = 01000;
    private static final int O_DIRECTORY = 0200000;
    private static final int O_NOFOLLOW = 0400000;
    private static final int O_PATH = 010000000;
    private static final int S_ISUID = 04000;
    private static final int S_ISGID = 02000;
    private static final int S_IXGRP = 010;

    private VfsRules() {
    }

    /**
     * Before a name is made (mkdir, mknod, symlink, the new name of link): it must not exist,
     * its directory must. Returns that directory's attributes.
     */
    public static FileAttributes beforeCreate(FileSystem fs, Resolved where) throws ModuleException {
        if (where.dotted() || where.inMount().equals("/") || lstat(fs, where.inMount()) != null) {
            throw new ModuleException(Errno.EEXIST);
        }
        return directoryOf(fs, where.inMount());
    }

    /**
     * Before an open: O_CREAT|O_EXCL of an existing name (a dangling symlink too) is EEXIST, an
     * O_NOFOLLOW open of a symlink ELOOP, a directory opened for writing or created EISDIR, a
     * path ending in "/" must name a directory. Returns the attributes of the directory the
     * open creates the file in, or null when it creates nothing.
     */
    public static FileAttributes beforeOpen(FileSystem fs, Resolved where, int flags) throws ModuleException {
        String path = where.inMount();
        boolean creating = (flags & O_CREAT) != 0;
        boolean noFollow = (flags & O_NOFOLLOW) != 0 || (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL);
        if (!creating && !noFollow && !where.slashed()) {
            return null; // the file system's own open tells a missing file, a directory or not
        }
        FileAttributes found = lstat(fs, path);
        if (found != null && found.isSymlink() && !noFollow) {
            found = stat(fs, path);
        }
        if (found == null) {
            if (creating) {
                if (where.slashed() || where.dotted()) {
                    throw new ModuleException(Errno.EISDIR);
                }
                return directoryOf(fs, path);
            }
            throw new ModuleException(Errno.ENOENT);
        }
        if (creating && (flags & O_EXCL) != 0) {
            throw new ModuleException(Errno.EEXIST);
        }
        if (found.isSymlink() && (flags & O_PATH) == 0) {
            throw new ModuleException((flags & O_DIRECTORY) != 0 ? Errno.ENOTDIR : Errno.ELOOP);
        }
        if (found.isDirectory() && (creating || (flags & O_ACCMODE) != 0 || (flags & O_TRUNC) != 0)) {
            throw new ModuleException(Errno.EISDIR);
        }
        if (where.slashed() && !found.isDirectory()) {
            throw new ModuleException(Errno.ENOTDIR);
        }
        return null;
    }

    /** Before rmdir: "." is EINVAL, ".." ENOTEMPTY, the mount's root EBUSY, a non-directory ENOTDIR. */
    public static void beforeRmdir(FileSystem fs, Resolved where) throws ModuleException {
        if (where.written().equals(".")) {
            throw new ModuleException(Errno.EINVAL);
        }
        if (where.written().equals("..")) {
            throw new ModuleException(Errno.ENOTEMPTY);
        }
        if (where.inMount().equals("/")) {
            throw new ModuleException(Errno.EBUSY);
        }
        if (!existing(fs, where.inMount()).isDirectory()) {
            throw new ModuleException(Errno.ENOTDIR);
        }
    }

    /** Before unlink: a directory is EISDIR (Linux's answer), a non-directory named with a "/" ENOTDIR. */
    public static void beforeUnlink(FileSystem fs, Resolved where) throws ModuleException {
        FileAttributes found = existing(fs, where.inMount());
        if (found.isDirectory() || where.dotted() || where.inMount().equals("/")) {
            throw new ModuleException(Errno.EISDIR);
        }
        if (where.slashed()) {
            throw new ModuleException(Errno.ENOTDIR);
        }
    }

    /**
     * Before rename: whether the file system must be asked at all (false when both names are
     * one file: the kernel then does nothing and succeeds).
     */
    public static boolean beforeRename(FileSystem fs, Resolved from, Resolved to, boolean noReplace) throws ModuleException {
        if (from.dotted() || from.inMount().equals("/") || to.inMount().equals("/")) {
            throw new ModuleException(Errno.EBUSY);
        }
        if (to.dotted()) {
            throw new ModuleException(noReplace ? Errno.EEXIST : Errno.EBUSY);
        }
        FileAttributes source = existing(fs, from.inMount());
        if ((from.slashed() || to.slashed()) && !source.isDirectory()) {
            throw new ModuleException(Errno.ENOTDIR);
        }
        if (source.isDirectory() && to.inMount().startsWith(from.inMount() + "/")) {
            throw new ModuleException(Errno.EINVAL);
        }
        FileAttributes target = lstat(fs, to.inMount());
        if (target == null) {
            directoryOf(fs, to.inMount());
            return true;
        }
        if (noReplace) {
            throw new ModuleException(Errno.EEXIST);
        }
        if (target.inode() == source.inode() && target.device() == source.device()) {
            return false;
        }
        if (source.isDirectory() != target.isDirectory()) {
            throw new ModuleException(source.isDirectory() ? Errno.ENOTDIR : Errno.EISDIR);
        }
        if (from.inMount().startsWith(to.inMount() + "/")) {
            throw new ModuleException(Errno.ENOTEMPTY); // the target holds the source
        }
        return true;
    }

    /** Before link: the old name must exist and not be a directory, the new one must not exist. */
    public static void beforeLink(FileSystem fs, Resolved from, Resolved to, boolean follow) throws ModuleException {
        FileAttributes source = follow ? stat(fs, from.inMount()) : lstat(fs, from.inMount());
        if (source == null) {
            throw new ModuleException(Errno.ENOENT);
        }
        if (source.isDirectory()) {
            throw new ModuleException(Errno.EPERM);
        }
        beforeCreate(fs, to);
    }

    /** Before truncate: only a regular file may be truncated (a directory is EISDIR). */
    public static void beforeTruncate(FileSystem fs, Resolved where, long length) throws ModuleException {
        if (length < 0) {
            throw new ModuleException(Errno.EINVAL);
        }
        FileAttributes found = existing(fs, where.inMount());
        found = found.isSymlink() ? stat(fs, where.inMount()) : found;
        if (found == null) {
            throw new ModuleException(Errno.ENOENT);
        }
        if (found.isDirectory()) {
            throw new ModuleException(Errno.EISDIR);
        }
        if (!found.isRegular()) {
            throw new ModuleException(Errno.EINVAL);
        }
    }

    /** Before ftruncate: the descriptor must be open for writing, on a regular file (EINVAL otherwise). */
    public static void beforeFtruncate(int openFlags, FileAttributes file, long length) throws ModuleException {
        if (length < 0 || (openFlags & O_ACCMODE) == 0 || !file.isRegular()) {
            throw new ModuleException(Errno.EINVAL);
        }
    }

    /**
     * After a chown that changed an owner: the kernel takes set-user-ID (and set-group-ID
     * where the group may execute) from anything but a directory, root's chown too. The mode
     * to set, or -1 when none is to be taken.
     */
    public static int afterChown(FileAttributes before, int uid, int gid) {
        if ((uid == -1 && gid == -1) || before.isDirectory() || before.isSymlink()) {
            return -1;
        }
        return withoutPrivileges(before);
    }

    /**
     * Before a write by anyone but root: the kernel takes set-user-ID (and set-group-ID where
     * the group may execute) from the file written. The mode to set, or -1 when none is taken.
     */
    public static int beforeWrite(FileAttributes file) {
        return file.isRegular() ? withoutPrivileges(file) : -1;
    }

    private static int withoutPrivileges(FileAttributes file) {
        int kill = S_ISUID | ((file.mode() & S_IXGRP) != 0 ? S_ISGID : 0);
        return (file.mode() & kill) == 0 ? -1 : file.mode() & 07777 & ~kill;
    }

    /**
     * What a call that found nothing at {@code path} should say: ENOTDIR when one of its
     * directories is something else (a served file system looking a name up in a file only
     * says it is not there), else ENOENT.
     */
    public static int notFound(FileSystem fs, String path) {
        for (String parent = parentOf(path); !parent.equals("/"); parent = parentOf(parent)) {
            try {
                FileAttributes found = stat(fs, parent);
                if (found != null) {
                    return found.isDirectory() ? Errno.ENOENT : Errno.ENOTDIR;
                }
            } catch (ModuleException e) {
                return Errno.ENOENT;
            }
        }
        return Errno.ENOENT;
    }

    /** The directory a new name goes in must be one: ENOENT when it is missing, ENOTDIR when it is not a directory. */
    private static FileAttributes directoryOf(FileSystem fs, String path) throws ModuleException {
        String parent = parentOf(path);
        FileAttributes directory = stat(fs, parent);
        if (directory == null) {
            throw new ModuleException(notFound(fs, parent));
        }
        if (!directory.isDirectory()) {
            throw new ModuleException(Errno.ENOTDIR);
        }
        return directory;
    }

    private static FileAttributes existing(FileSystem fs, String path) throws ModuleException {
        FileAttributes found = lstat(fs, path);
        if (found == null) {
            throw new ModuleException(notFound(fs, path));
        }
        return found;
    }

    /** lstat, or null when nothing is there. */
    private static FileAttributes lstat(FileSystem fs, String path) throws ModuleException {
        return attributes(fs, path, false);
    }

    /** stat (symlinks followed), or null when nothing is there. */
    private static FileAttributes stat(FileSystem fs, String path) throws ModuleException {
        return attributes(fs, path, true);
    }

    private static FileAttributes attributes(FileSystem fs, String path, boolean follow) throws ModuleException {
        try {
            return fs.stat(path, follow);
        } catch (ModuleException e) {
            if (e.errno() == Errno.ENOENT || e.errno() == Errno.ENOTDIR) {
                return null;
            }
            throw e;
        }
    }

    /** The directory a path in a mount is in. */
    public static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }
}
