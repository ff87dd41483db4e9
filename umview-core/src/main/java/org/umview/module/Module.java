package org.umview.module;

import org.umview.libc.Errno;

/**
 * A service loaded into a view: it claims part of the world and serves the calls made there.
 * Modules are found with {@link java.util.ServiceLoader} among the built-in ones and in the
 * jars of {@code UMVIEW_MODULE_PATH}. A module never sees registers or tracee memory: the core
 * decodes calls, resolves paths and hands the module what its handlers ask for.
 */
public interface Module {
    /** The name users load it by; it also serves every file system type it prefixes. */
    String name();

    /** One line for {@code um_ls_service}. */
    String description();

    /** What the module claims; the view traps the calls needed to serve it. */
    default Claims claims() {
        return Claims.FILE_SYSTEMS;
    }

    /** Whether the module serves mounts of file system type {@code type}: by default those its name prefixes. */
    default boolean serves(String type) {
        return type.startsWith(name());
    }

    /**
     * Files the module places in the view while it is loaded, by absolute path (a device such
     * as /dev/fuse): each is served by its file system as a mount on a file that no listing shows.
     */
    default java.util.Map<String, FileSystem> files() {
        return java.util.Map.of();
    }

    /**
     * Whether making a mount may wait on a process of the view (a FUSE program answering
     * INIT): then {@link #mount} runs off the tracer thread while the caller stays stopped.
     */
    default boolean mountsWaitOnTracees() {
        return false;
    }

    /**
     * Serves {@code mount -t TYPE}: returns the file system that will answer for the mount, or
     * null when a program the module started (see {@link MountCaller#start}) made the mount itself.
     */
    default FileSystem mount(MountRequest request) throws ModuleException {
        throw new ModuleException(Errno.ENODEV, name() + " does not serve mounts");
    }
}
