package org.umview.viewfs;

import java.util.List;
import org.umview.libc.Errno;
import org.umview.module.FileAttributes;
import org.umview.module.FileSystem;
import org.umview.module.ModuleException;
import org.umview.module.OpenFile;

/** Nothing: the mount point and everything below do not exist, and cannot be made. */
final class Hidden implements FileSystem {
    private final List<String> exceptions;

    Hidden(List<String> exceptions) {
        this.exceptions = List.copyOf(exceptions);
    }

    @Override
    public boolean hides() {
        return true;
    }

    @Override
    public List<String> exceptions() {
        return exceptions;
    }

    @Override
    public FileAttributes stat(String path, boolean follow) throws ModuleException {
        throw new ModuleException(Errno.ENOENT);
    }

    @Override
    public OpenFile open(String path, int flags, int mode) throws ModuleException {
        throw new ModuleException(path.equals("/") && (flags & 0100 /* O_CREAT */) != 0 ? Errno.EACCES : Errno.ENOENT);
    }

    @Override
    public String readlink(String path) throws ModuleException {
        throw new ModuleException(Errno.ENOENT);
    }

    @Override
    public void mkdir(String path, int mode) throws ModuleException {
        throw new ModuleException(path.equals("/") ? Errno.EACCES : Errno.ENOENT);
    }

    @Override
    public void rmdir(String path) throws ModuleException {
        throw new ModuleException(Errno.ENOENT);
    }

    @Override
    public void unlink(String path) throws ModuleException {
        throw new ModuleException(Errno.ENOENT);
    }

    @Override
    public void rename(String from, String to) throws ModuleException {
        throw new ModuleException(Errno.ENOENT);
    }

    @Override
    public void symlink(String target, String path) throws ModuleException {
        throw new ModuleException(path.equals("/") ? Errno.EACCES : Errno.ENOENT);
    }

    @Override
    public void link(String from, String to) throws ModuleException {
        throw new ModuleException(Errno.ENOENT);
    }

    @Override
    public void chmod(String path, int mode) throws ModuleException {
        throw new ModuleException(Errno.ENOENT);
    }

    @Override
    public void truncate(String path, long length) throws ModuleException {
        throw new ModuleException(Errno.ENOENT);
    }

    @Override
    public void chown(String path, int uid, int gid, boolean follow) throws ModuleException {
        throw new ModuleException(Errno.ENOENT);
    }
}
