package org.umview.path;

import org.umview.view.Mount;

/**
 * A path as the view sees it: canonical and absolute, the mount serving it (null: the host),
 * and whether resolving it went through a mount (a symlink in a mount may lead back out).
 */
public record Resolved(String path, Mount mount, boolean throughMount) {
    public boolean virtual() {
        return mount != null;
    }

    /** The path inside the mount ("/" for its root). */
    public String inMount() {
        return mount.relative(path);
    }
}
