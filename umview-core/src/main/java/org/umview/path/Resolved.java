package org.umview.path;

import org.umview.view.Mount;

/**
 * A path as the view sees it: canonical and absolute, the mount serving it (null: the host),
 * whether resolving it went through a mount (a symlink in a mount may lead back out), and its
 * last component as the caller wrote it ("." or ".." name the directory itself, and "" means
 * a trailing slash: the kernel's rules tell these apart from a plain name).
 */
public record Resolved(String path, Mount mount, boolean throughMount, String written) {
    public boolean virtual() {
        return mount != null;
    }

    /** The path inside the mount ("/" for its root). */
    public String inMount() {
        return mount.relative(path);
    }

    /** Whether the caller named a directory by "." or "..", which no call may create or remove. */
    public boolean dotted() {
        return written.equals(".") || written.equals("..");
    }

    /** Whether the path ended in "/": it must then name a directory. */
    public boolean slashed() {
        return written.isEmpty();
    }
}
