package org.umview.viewfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.umview.libc.Errno;
import org.umview.module.ModuleException;

/**
 * {@code merge}: the source laid over the target's own tree, read-only. What the source has
 * cannot be changed (EROFS); everything else is the target's, and new names land there.
 */
final class Merge extends Layered {
    Merge(Path source, Path target, List<String> exceptions) {
        super(source, target, exceptions);
    }

    @Override
    boolean lowerShows(String path) {
        return true;
    }

    private void notInSource(String path) throws ModuleException {
        if (HostFiles.exists(upper(path))) {
            throw new ModuleException(Errno.EROFS);
        }
    }

    @Override
    String changedFile(String path, Path at) throws ModuleException {
        notInSource(path);
        if (at == null && HostFiles.isDirectory(upper(parent(path)))) {
            ensureDirectory(parent(path), lowerRoot());
        }
        return lower(path).toString();
    }

    @Override
    Path changeable(String path) throws ModuleException {
        existing(path);
        notInSource(path);
        return lower(path);
    }

    @Override
    public void unlink(String path) throws ModuleException {
        if (HostFiles.isDirectory(existing(path))) {
            throw new ModuleException(Errno.EISDIR);
        }
        notInSource(path);
        delete(lower(path));
    }

    @Override
    public void rmdir(String path) throws ModuleException {
        removable(path);
        notInSource(path);
        delete(lower(path));
    }

    @Override
    public void rename(String from, String to) throws ModuleException {
        existing(from);
        notInSource(from);
        notInSource(to);
        ensureDirectory(parent(to), lowerRoot());
        try {
            Files.move(lower(from), lower(to), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw HostFiles.failure(e);
        }
    }

    @Override
    public void link(String from, String to) throws ModuleException {
        Path source = existing(from);
        if (locate(to) != null) {
            throw new ModuleException(Errno.EEXIST);
        }
        ensureDirectory(parent(to), lowerRoot());
        try {
            Files.createLink(lower(to), source);
        } catch (IOException e) {
            throw HostFiles.failure(e);
        }
    }

    private static void delete(Path path) throws ModuleException {
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw HostFiles.failure(e);
        }
    }
}
