package org.umview.testmods;

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
        HostRoot root = HostRoot.of(request, name());
        return new FileSystem() {
            @Override
            public String hostPath(String path) {
                return root.host(path);
            }
        };
    }
}
