package org.umview.testmods;

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
        // -o async: answer off the tracer thread, as file systems that wait on tracees must.
        boolean async = java.util.Arrays.asList(request.options().split(",")).contains("async");
        return new UnrealFileSystem(HostRoot.of(request, name()), async);
    }
}
