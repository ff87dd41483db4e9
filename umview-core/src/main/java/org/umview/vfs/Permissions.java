package org.umview.vfs;

import org.umview.libc.Errno;
import org.umview.module.Caller;
import org.umview.module.FileAttributes;
import org.umview.module.FileSystem;
import org.umview.module.ModuleException;

/**
 * The kernel's permission checks (generic_permission, may_create, may_delete, the owner
 * checks of chmod, chown and utimes), for file systems that {@link
 * FileSystem#enforcesPermissions() enforce permissions}: what FUSE's {@code default_permissions}
 * asks of the kernel. Root passes every check but execution of a file nobody may execute.
 */
public final class Permissions {
    public static final int R = 4;
    public static final int W = 2;
    public static final int X = 1;
    private static final int S_ISGID = 02000;
    private static final int S_ISVTX = 01000;
    private static final int O_ACCMODE = 03;
    private static final int O_TRUNC = 01000;

    private Permissions() {
    }

    /** Whether {@code caller} may access {@code file} for {@code mask} (R, W, X): EACCES if not. */
    public static void check(FileAttributes file, Caller caller, int mask) throws ModuleException {
        if (!allowed(file, caller, mask)) {
            throw new ModuleException(Errno.EACCES);
        }
    }

    static boolean allowed(FileAttributes file, Caller caller, int mask) {
        int mode = file.mode();
        if (caller.root()) {
            return (mask & X) == 0 || file.isDirectory() || (mode & 0111) != 0;
        }
        int bits = caller.uid() == file.uid() ? mode >> 6 : caller.inGroup(file.gid()) ? mode >> 3 : mode;
        return (bits & mask & 7) == (mask & 7);
    }

    /** Search permission on every directory from the mount's root to the one {@code path} is in. */
    public static void searchable(FileSystem fs, Caller caller, String path) throws ModuleException {
        if (caller.root()) {
            return;
        }
        String[] parts = path.split("/");
        String directory = "/";
        for (int i = 1; i < parts.length; i++) {
            FileAttributes found = fs.stat(directory, true);
            if (!found.isDirectory()) {
                throw new ModuleException(Errno.ENOTDIR);
            }
            check(found, caller, X);
            directory = directory.equals("/") ? "/" + parts[i] : directory + "/" + parts[i];
        }
    }

    /** A name may be made in {@code path}'s directory: search on the way, write and search on the directory. */
    public static void mayCreate(FileSystem fs, Caller caller, String path) throws ModuleException {
        searchable(fs, caller, path);
        check(directoryOf(fs, path), caller, W | X);
    }

    /** The directory {@code path} is in: ENOTDIR when that is something else. */
    private static FileAttributes directoryOf(FileSystem fs, String path) throws ModuleException {
        FileAttributes directory = fs.stat(VfsRules.parentOf(path), true);
        if (!directory.isDirectory()) {
            throw new ModuleException(Errno.ENOTDIR);
        }
        return directory;
    }

    /**
     * {@code path} may be removed or renamed away: write and search on its directory, and in a
     * sticky directory only the owner of the file or of the directory (or root) may.
     */
    public static void mayDelete(FileSystem fs, Caller caller, String path) throws ModuleException {
        searchable(fs, caller, path);
        FileAttributes directory = directoryOf(fs, path);
        check(directory, caller, W | X);
        if ((directory.mode() & S_ISVTX) != 0 && !caller.root()) {
            FileAttributes victim = fs.stat(path, false);
            if (victim.uid() != caller.uid() && directory.uid() != caller.uid()) {
                throw new ModuleException(Errno.EPERM);
            }
        }
    }

    /** A rename: the old name may go, the new one may be made (or replaced); a directory moving elsewhere must be writable itself. */
    public static void mayRename(FileSystem fs, Caller caller, String from, String to) throws ModuleException {
        mayDelete(fs, caller, from);
        if (exists(fs, to)) {
            mayDelete(fs, caller, to);
        } else {
            mayCreate(fs, caller, to);
        }
        FileAttributes moving = fs.stat(from, false);
        if (moving.isDirectory() && !VfsRules.parentOf(from).equals(VfsRules.parentOf(to))) {
            check(moving, caller, W); // its ".." changes
        }
    }

    /** An open of an existing file: read and write permission as its access mode says, write for O_TRUNC. */
    public static void mayOpen(FileSystem fs, Caller caller, String path, int flags) throws ModuleException {
        searchable(fs, caller, path);
        FileAttributes file;
        try {
            file = fs.stat(path, true);
        } catch (ModuleException e) {
            if (e.errno() == Errno.ENOENT) {
                return; // created: the directory was checked by mayCreate, or the open fails anyway
            }
            throw e;
        }
        int access = flags & O_ACCMODE;
        int mask = (access == 0 || access == 2 ? R : 0) | (access == 1 || access == 2 || (flags & O_TRUNC) != 0 ? W : 0);
        check(file, caller, mask);
    }

    /** chmod: only the owner (or root); a group the caller is not in loses set-group-ID. The mode to set. */
    public static int mayChmod(FileAttributes file, Caller caller, int mode) throws ModuleException {
        if (caller.root()) {
            return mode;
        }
        if (caller.uid() != file.uid()) {
            throw new ModuleException(Errno.EPERM);
        }
        return !file.isDirectory() && !caller.inGroup(file.gid()) ? mode & ~S_ISGID : mode;
    }

    /** chown: root changes anything; the owner may only give the file to a group it is in. -1 leaves an id. */
    public static void mayChown(FileAttributes file, Caller caller, int uid, int gid) throws ModuleException {
        if (caller.root()) {
            return;
        }
        boolean uidChanges = uid != -1 && uid != file.uid();
        boolean gidChanges = gid != -1 && gid != file.gid();
        if (uidChanges || ((uid != -1 || gid != -1) && caller.uid() != file.uid())
                || (gidChanges && !caller.inGroup(gid))) {
            throw new ModuleException(Errno.EPERM);
        }
    }

    /**
     * utimes: setting explicit times is the owner's (or root's); setting them to now needs
     * write permission otherwise.
     */
    public static void maySetTimes(FileAttributes file, Caller caller, boolean explicit) throws ModuleException {
        if (caller.root() || caller.uid() == file.uid()) {
            return;
        }
        if (explicit) {
            throw new ModuleException(Errno.EPERM);
        }
        check(file, caller, W);
    }

    /** Whether something is at {@code path} (a dangling symlink too). */
    public static boolean exists(FileSystem fs, String path) throws ModuleException {
        try {
            fs.stat(path, false);
            return true;
        } catch (ModuleException e) {
            if (e.errno() == Errno.ENOENT) {
                return false;
            }
            throw e;
        }
    }
}
