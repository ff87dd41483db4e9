package org.umview.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.umview.syscall.ArgKind;
import org.umview.syscall.Syscall;
import org.umview.syscall.SyscallRequest;

/**
 * A path argument of a system call: where it is, the dirfd it is relative to, and whether
 * the kernel follows a symlink in its last component, which decides what it names.
 */
record PathArgument(int index, int dirfdIndex, boolean followLast) {
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int AT_SYMLINK_FOLLOW = 0x400;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int O_CREAT = 0x40;
    private static final int O_EXCL = 0x80;
    private static final int O_NOFOLLOW = 0x20000;
    private static final int UMOUNT_NOFOLLOW = 0x8;

    /* Calls that act on a symlink itself, or on a name that must not exist yet. */
    private static final Set<String> NEVER_FOLLOW = Set.of("lstat", "lchown", "lsetxattr", "lgetxattr", "llistxattr",
            "lremovexattr", "readlink", "readlinkat", "unlink", "unlinkat", "rmdir", "rename", "renameat", "renameat2",
            "symlink", "symlinkat", "link", "mkdir", "mkdirat", "mknod", "mknodat");
    /* Calls whose AT_ flags say AT_SYMLINK_FOLLOW rather than AT_SYMLINK_NOFOLLOW. */
    private static final Set<String> FOLLOW_FLAG = Set.of("linkat", "name_to_handle_at");

    /** Whether {@code call} takes any path argument: such calls are trapped when file systems are mounted. */
    static boolean takesPaths(Syscall call) {
        return call.args().contains(ArgKind.PATH);
    }

    /** The path arguments of {@code request}. */
    static List<PathArgument> of(SyscallRequest request) {
        List<ArgKind> kinds = request.call().args();
        boolean follow = followsLast(request);
        List<PathArgument> paths = new ArrayList<>(2);
        for (int i = 0; i < kinds.size(); i++) {
            if (kinds.get(i) == ArgKind.PATH) {
                int dirfd = i > 0 && kinds.get(i - 1) == ArgKind.DIRFD ? i - 1 : -1;
                paths.add(new PathArgument(i, dirfd, follow));
            }
        }
        return paths;
    }

    /** AT_EMPTY_PATH: an empty path names the dirfd itself, and the call is about that fd. */
    static boolean emptyPathAllowed(SyscallRequest request) {
        int flagsIndex = request.call().args().indexOf(ArgKind.ATFLAGS);
        return flagsIndex >= 0 && (request.arg(flagsIndex) & AT_EMPTY_PATH) != 0;
    }

    private static boolean followsLast(SyscallRequest request) {
        Syscall call = request.call();
        if (NEVER_FOLLOW.contains(call.name())) {
            return false;
        }
        List<ArgKind> kinds = call.args();
        int atFlags = kinds.indexOf(ArgKind.ATFLAGS);
        if (atFlags >= 0) {
            long flags = request.arg(atFlags);
            return FOLLOW_FLAG.contains(call.name()) ? (flags & AT_SYMLINK_FOLLOW) != 0 : (flags & AT_SYMLINK_NOFOLLOW) == 0;
        }
        int openFlags = kinds.indexOf(ArgKind.OFLAGS);
        if (openFlags >= 0) {
            long flags = request.arg(openFlags);
            return (flags & O_NOFOLLOW) == 0 && (flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL);
        }
        if (call.name().equals("umount2")) {
            return (request.arg(1) & UMOUNT_NOFOLLOW) == 0;
        }
        return true;
    }
}
