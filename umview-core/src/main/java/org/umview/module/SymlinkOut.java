package org.umview.module;

import org.umview.libc.Errno;

/**
 * What a served file system throws when a symlink it follows leads out of it (an absolute
 * target): the core goes on resolving from the view's root, as the kernel would, where the
 * file system cannot. {@link #link()} is the symlink's path in the mount.
 */
public final class SymlinkOut extends ModuleException {
    private final String link;
    private final String target;

    public SymlinkOut(String link, String target) {
        super(Errno.EXDEV, "a symlink leads out of the mount: " + target);
        this.link = link;
        this.target = target;
    }

    public String link() {
        return link;
    }

    /** The symlink's text: an absolute path in the view. */
    public String target() {
        return target;
    }

    /** Where {@code path} (in the mount, through the symlink) leads in the view; null if it does not go through it. */
    public String leads(String path) {
        if (path.equals(link)) {
            return target;
        }
        return path.startsWith(link + "/") ? target + path.substring(link.length()) : null;
    }
}
