package org.umview.viewfs;

import java.util.List;
import org.umview.module.FileSystem;

/** A host directory tree at the mount point, by path rewriting; read-only if asked. */
final class HostTree implements FileSystem {
    private final String root;
    private final boolean readOnly;
    private final List<String> exceptions;

    HostTree(String root, boolean readOnly, List<String> exceptions) {
        this.root = root.equals("/") ? "" : root;
        this.readOnly = readOnly;
        this.exceptions = List.copyOf(exceptions);
    }

    @Override
    public String hostPath(String path) {
        return path.equals("/") ? (root.isEmpty() ? "/" : root) : root + path;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public List<String> exceptions() {
        return exceptions;
    }
}
