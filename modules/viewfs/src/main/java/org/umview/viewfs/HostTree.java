package org.umview.viewfs;

import java.util.List;
import java.util.Map;
import org.umview.module.FileSystem;

/** A host directory tree at the mount point, by path rewriting; read-only if asked; with the mounts made along with it. */
final class HostTree implements FileSystem {
    private final String root;
    private final boolean readOnly;
    private final List<String> exceptions;
    private final Map<String, FileSystem> alongside;

    HostTree(String root, boolean readOnly, List<String> exceptions) {
        this(root, readOnly, exceptions, Map.of());
    }

    HostTree(String root, boolean readOnly, List<String> exceptions, Map<String, FileSystem> alongside) {
        this.root = root.equals("/") ? "" : root;
        this.readOnly = readOnly;
        this.exceptions = List.copyOf(exceptions);
        this.alongside = Map.copyOf(alongside);
    }

    @Override
    public Map<String, FileSystem> alongside() {
        return alongside;
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
