package org.umview.view;

import java.util.List;
import org.umview.libc.Errno;
import org.umview.module.FileAttributes;
import org.umview.module.FileSystem;
import org.umview.module.ModuleException;
import org.umview.module.OpenFile;

/**
 * Empty directories where a mount's target and the directories above it do not exist, shown
 * while a program of the view mounts there: a FUSE program (libfuse's realpath and stat of
 * its mount point) must find a directory where the view will have its mount.
 */
public final class MissingDirectories implements FileSystem {
    private final List<String> chain;
    private final FileAttributes directory;

    /** {@code below}: the names from the mount point of this one down to the target ("such", "dir"). */
    public MissingDirectories(List<String> below, int uid, int gid) {
        this.chain = List.copyOf(below);
        long now = System.currentTimeMillis() / 1000;
        this.directory = new FileAttributes(0, 1, FileAttributes.S_IFDIR | 0755, 2, uid, gid, 0, 0, 4096, 0,
                now, 0, now, 0, now, 0);
    }

    /** The depth of {@code path} in the chain ("/" is 0), or -1 when it is not one of its directories. */
    private int depth(String path) {
        if (path.equals("/")) {
            return 0;
        }
        String[] parts = path.substring(1).split("/");
        if (parts.length > chain.size()) {
            return -1;
        }
        for (int i = 0; i < parts.length; i++) {
            if (!parts[i].equals(chain.get(i))) {
                return -1;
            }
        }
        return parts.length;
    }

    @Override
    public FileAttributes stat(String path, boolean follow) throws ModuleException {
        if (depth(path) < 0) {
            throw new ModuleException(Errno.ENOENT);
        }
        return directory;
    }

    @Override
    public OpenFile open(String path, int flags, int mode) throws ModuleException {
        int depth = depth(path);
        if (depth < 0) {
            throw new ModuleException(Errno.ENOENT);
        }
        return OpenFile.directoryOf(directory, () -> depth < chain.size() ? List.of(chain.get(depth)) : List.of());
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public boolean narrows() {
        return false; // there for a moment, narrowing nothing the view had
    }
}
