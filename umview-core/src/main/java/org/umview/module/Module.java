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

    /** Serves {@code mount -t TYPE}: returns the file system that will answer for the mount. */
    default FileSystem mount(MountRequest request) throws ModuleException {
        throw new ModuleException(Errno.ENODEV, name() + " does not serve mounts");
    }
}
