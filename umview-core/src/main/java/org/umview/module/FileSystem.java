package org.umview.module;

/**
 * A mounted file system. The simplest kind maps its paths onto host paths and lets the kernel
 * do the work ({@link #hostPath}); file systems that serve calls themselves come with virtual
 * file descriptors.
 */
public interface FileSystem {
    /**
     * The host path the kernel should use for {@code path} ("/" is the mount's root, always
     * absolute and canonical), or null when this file system serves the path itself.
     */
    String hostPath(String path);

    /** The mount goes away: release what it holds. */
    default void unmount() {
    }
}
