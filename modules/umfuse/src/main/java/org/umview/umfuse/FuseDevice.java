package org.umview.umfuse;

import org.umview.libc.Errno;
import org.umview.module.FileAttributes;
import org.umview.module.FileSystem;
import org.umview.module.ModuleException;
import org.umview.module.OpenFile;

/** /dev/fuse in a view where umfuse is loaded: each open is a new channel for a FUSE program. */
final class FuseDevice implements FileSystem {
    /** A character device 10:229, read-write for everybody, as /dev/fuse is on a usual system. */
    static final FileAttributes ATTRIBUTES = new FileAttributes(5, 229, 0020666, 1, 0, 0, (10 << 8) | 229, 0, 4096, 0,
            0, 0, 0, 0, 0, 0);

    @Override
    public boolean mayWaitOnTracees() {
        return true; // a read waits for a request another tracee's call makes
    }

    @Override
    public FileAttributes stat(String path, boolean follow) throws ModuleException {
        if (!path.equals("/")) {
            throw new ModuleException(Errno.ENOTDIR);
        }
        return ATTRIBUTES;
    }

    @Override
    public OpenFile open(String path, int flags, int mode) throws ModuleException {
        stat(path, true);
        return new Channel();
    }

    @Override
    public void access(String path, int mode) throws ModuleException {
        stat(path, true);
    }
}
