package org.umview.libc;

/** A libc call failed; carries errno so callers can tell ESRCH (tracee gone) from real faults. */
public final class NativeException extends RuntimeException {
    private final int errno;

    public NativeException(String call, int errno) {
        super(call + ": " + Errno.describe(errno) + " (" + Errno.name(errno) + ")");
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
