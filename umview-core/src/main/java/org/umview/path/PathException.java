package org.umview.path;

/** A path cannot be resolved: the call fails with {@link #errno()}, as the kernel would fail it. */
public final class PathException extends Exception {
    private final int errno;

    public PathException(int errno) {
        super(null, null, false, false);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
