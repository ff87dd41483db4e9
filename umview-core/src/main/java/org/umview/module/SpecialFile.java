package org.umview.module;

import org.umview.libc.Errno;

/**
 * What a file system's open throws for a FIFO, socket or device node: the kernel never asks a
 * file system to open these, and the core opens what the node stands for instead (a pipe, a
 * device). {@link #attributes()} are the node's.
 */
public final class SpecialFile extends ModuleException {
    private final transient FileAttributes attributes;

    public SpecialFile(FileAttributes attributes) {
        super(Errno.ENXIO, "a special file: the core opens what it stands for");
        this.attributes = attributes;
    }

    public FileAttributes attributes() {
        return attributes;
    }

    /** Whether {@code attributes} are those of a FIFO, socket or device. */
    public static boolean is(FileAttributes attributes) {
        int type = attributes.mode() & FileAttributes.S_IFMT;
        return type == FileAttributes.S_IFIFO || type == FileAttributes.S_IFSOCK || type == FileAttributes.S_IFCHR
                || type == FileAttributes.S_IFBLK;
    }
}
