package org.umview.memory;

/** A tracee handed the supervisor an address it cannot read or write: the call gets EFAULT. */
public final class TraceeMemoryException extends RuntimeException {
    private final int errno;

    public TraceeMemoryException(int errno, long address) {
        super(String.format("bad tracee address 0x%x", address), null, false, false);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
