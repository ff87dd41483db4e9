package org.umview.module;

import java.nio.ByteBuffer;

/**
 * A caller's open file kept by a module beyond the call that handed it over, as the kernel
 * keeps a loop device's backing file after LOOP_SET_FD: reads and writes go to that file,
 * whatever the caller does with its descriptor afterwards, until {@link #close}.
 */
public interface HeldFile {
    /** The file's path as the caller's view names it (what /proc/PID/fd/N shows). */
    String path();

    /** Whether the caller's descriptor was open for writing. */
    boolean writable();

    FileAttributes stat() throws ModuleException;

    /** Reads from {@code offset}; 0 at the end. */
    int read(ByteBuffer into, long offset) throws ModuleException;

    int write(ByteBuffer from, long offset) throws ModuleException;

    void sync() throws ModuleException;

    void close();
}
