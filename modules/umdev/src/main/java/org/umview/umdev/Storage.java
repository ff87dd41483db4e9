package org.umview.umdev;

import java.nio.ByteBuffer;

/** What a device's bytes are. */
interface Storage {
    /** The device's size in bytes. */
    long size();

    int read(ByteBuffer into, long offset);

    int write(ByteBuffer from, long offset);

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
}
