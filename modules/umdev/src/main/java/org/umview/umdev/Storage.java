package org.umview.umdev;

import java.nio.ByteBuffer;

/** What a device's bytes are. */
interface Storage {
    /** The device's size in bytes. */
    long size();

    int read(ByteBuffer into, long offset);

    int write(ByteBuffer from, long offset);

    /** Whether the device takes no writes now: an open for writing is refused (EACCES), as for a read-only block device. */
    default boolean readOnly() {
        return false;
    }

    /** Whether its reads and writes may wait on a process of the view (a loop device over a file a FUSE program serves). */
    default boolean mayWaitOnTracees() {
        return false;
    }

    /** Whether the device is there now (a partition comes and goes with the table). */
    default boolean present() {
        return true;
    }

    /** Where the device starts on its disk, in bytes (HDIO_GETGEO). */
    default long start() {
        return 0;
    }

    /** BLKRRPART: the disk's partitions are read again. */
    default void reread() {
    }

    default void sync() {
    }

    /** The mount ends. */
    default void close() {
    }

    /** A descriptor of the device is opened. */
    default void opened() {
    }

    /** An open of the device is closed (the last descriptor sharing it). */
    default void closed() {
    }

    /** As {@link org.umview.module.OpenFile#ioctlArgumentSize}, for the requests this kind of device answers itself; -1 for the others. */
    default int ioctlArgumentSize(long request) {
        return -1;
    }

    /** Serves a request {@link #ioctlArgumentSize} knows. */
    default long ioctl(long request, long value, java.nio.ByteBuffer argument, org.umview.module.CallerDescriptors caller)
            throws org.umview.module.ModuleException {
        throw new org.umview.module.ModuleException(org.umview.libc.Errno.ENOTTY);
    }
}
