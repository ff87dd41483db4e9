package org.umview.testmods;

import org.umview.libc.Errno;
import org.umview.module.FileSystem;
import org.umview.module.Module;
import org.umview.module.ModuleException;
import org.umview.module.MountRequest;

/**
 * {@code unreal}: the host file system again at the mount point, but every call served by the
 * module through virtual file descriptors, so that running real programs there proves the
 * core's paths, descriptors and offsets right.
 */
public final class UnrealModule implements Module {
    @Override
    public String name() {
        return "unreal";
    }

    @Override
    public String description() {
        return "the host file system again at the mount point, served by the module itself (for tests)";
    }

    @Override
    public FileSystem mount(MountRequest request) throws ModuleException {
        String source = request.source().equals("none") ? "/" : request.source();
        if (!source.startsWith("/")) {
            throw new ModuleException(Errno.EINVAL, "unreal: the source must be an absolute host path or none");
        }
        return new UnrealFileSystem(source.length() > 1 && source.endsWith("/") ? source.substring(0, source.length() - 1) : source);
    }
}
