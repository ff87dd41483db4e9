package org.umview.module;

import org.umview.libc.Errno;

/** A module refuses or fails a call; the tracee sees {@link #errno()}. */
public class ModuleException extends Exception {
    private final int errno;

    public ModuleException(int errno, String message) {
        super(message);
        this.errno = errno;
    }

    public ModuleException(int errno) {
        this(errno, Errno.describe(errno));
    }

    public int errno() {
        return errno;
    }
}
