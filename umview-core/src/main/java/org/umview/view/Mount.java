package org.umview.view;

import org.umview.module.FileSystem;
import org.umview.module.Module;

/**
 * A file system mounted in a view at {@code target} (canonical, absolute), stamped with the
 * epoch at which it was made: a process sees it only from that epoch on, and the module
 * serving it sees the world as it was just before.
 */
public record Mount(String target, String source, String type, String options, Module module, FileSystem fileSystem,
        long epoch) {
    /** Whether {@code path} is the mount point or below it. */
    public boolean covers(String path) {
        return path.equals(target) || target.equals("/")
                || (path.startsWith(target) && path.charAt(target.length()) == '/');
    }

    /** {@code path} as seen from the mount's root ("/" for the mount point itself). */
    public String relative(String path) {
        if (target.equals("/")) {
            return path;
        }
        return path.length() == target.length() ? "/" : path.substring(target.length());
    }
}
