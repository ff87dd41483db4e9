package org.umview.testmods;

import org.umview.libc.Errno;
import org.umview.module.ModuleException;
import org.umview.module.MountRequest;

/** The host directory a test module shows: the mount's source, the whole host for "none". */
record HostRoot(String root) {
    static HostRoot of(MountRequest request, String module) throws ModuleException {
        String source = request.source().equals("none") ? "/" : request.source();
        if (!source.startsWith("/")) {
            throw new ModuleException(Errno.EINVAL, module + ": the source must be an absolute host path or none");
        }
        return new HostRoot(source.length() > 1 && source.endsWith("/") ? source.substring(0, source.length() - 1) : source);
    }

    /** The host path of {@code path} (absolute from the mount's root). */
    String host(String path) {
        return root.equals("/") ? path : path.equals("/") ? root : root + path;
    }
}
