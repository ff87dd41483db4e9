package org.umview.libc;

/** Another process's open files, taken through a pidfd (pidfd_open and pidfd_getfd). */
public final class Pidfds {
    /* glibc wraps them only lately; their numbers are the same on every architecture. */
    private static final long PIDFD_OPEN = 434;
    private static final long PIDFD_GETFD = 438;

    private Pidfds() {
    }

    /**
     * A descriptor of the supervisor's for descriptor {@code fd} of process {@code tgid}: the
     * same open file description (offset and status flags shared), or -1.
     */
    public static int copyOf(int tgid, int fd) {
        ProcessControl pc = Native.processControl();
        int pidfd = (int) pc.syscall(PIDFD_OPEN, tgid, 0, 0);
        if (pidfd < 0) {
            return -1;
        }
        try {
            return (int) pc.syscall(PIDFD_GETFD, pidfd, fd, 0);
        } finally {
            pc.close(pidfd);
        }
    }
}
