package org.umview.umdev;

import java.nio.ByteBuffer;

/** What a device's bytes are. */
interface Storage {
    /** The device's size in bytes. */
    long size();

    int read(ByteBuffer into, long offset);

    int write(ByteBuffer from, long offset);
}
