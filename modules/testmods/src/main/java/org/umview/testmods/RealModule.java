package org.umview.testmods;

import org.umview.libc.Errno;
import org.umview.module.FileSystem;
import org.umview.module.Module;
import org.umview.module.ModuleException;
import org.umview.module.MountRequest;

/**
 * {@code real}: a pass-through. {@code mount -t real DIR TARGET} shows host directory DIR
 * (the whole host for source {@code none}) at TARGET, by rewriting paths for the kernel.
 */
public final class RealModule implements Module {
    @Override
    public String name() {
        return "real";
    }

    @Override
    public String description() {
        return "the host file system again at the mount point, served by the kernel (a pass-through for tests)";
    }

    @Override
    public FileSystem mount(MountRequest request) throws ModuleException {
        String source = request.source();
        if (source.equals("none")) {
            source = "/";
        }
        if (!source.startsWith("/")) {
            throw new ModuleException(Errno.EINVAL, "real: the source must be an absolute host path or none");
        }
        String root = source.length() > 1 && source.endsWith("/") ? source.substring(0, source.length() - 1) : source;
        return new FileSystem() {
            @Override
            public String hostPath(String path) {
                return root.equals("/") ? path : path.equals("/") ? root : root + path;
            }
        };
    }
}
