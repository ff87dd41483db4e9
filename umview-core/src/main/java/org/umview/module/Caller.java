package org.umview.module;

/**
 * Who makes the call a file system is serving: the calling thread's file-system ids and groups
 * as the view sees them (a virtual identity where one is mounted), and its pid. Set by the core
 * around the calls it makes to a file system that {@link FileSystem#enforcesPermissions()
 * enforces permissions}, so that a FUSE request carries the caller's ids as the kernel's do.
 */
public record Caller(int uid, int gid, int[] groups, int pid) {
    private static final ThreadLocal<Caller> CURRENT = new ThreadLocal<>();

    /** The caller of the call being served on this thread, or null outside one. */
    public static Caller current() {
        return CURRENT.get();
    }

    /** Runs {@code work} as a call of {@code caller}. */
    public static <T, E extends Exception> T as(Caller caller, Work<T, E> work) throws E {
        Caller outer = CURRENT.get();
        CURRENT.set(caller);
        try {
            return work.run();
        } finally {
            CURRENT.set(outer);
        }
    }

    public boolean root() {
        return uid == 0;
    }

    /** Whether the caller is in group {@code group}, as its own or a supplementary one. */
    public boolean inGroup(int group) {
        if (gid == group) {
            return true;
        }
        for (int g : groups) {
            if (g == group) {
                return true;
            }
        }
        return false;
    }

    /** Work done as a caller. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }
}
