package org.umview.umbinfmt;

import org.umview.module.FileSystem;
import org.umview.module.Module;
import org.umview.module.ModuleException;
import org.umview.module.MountRequest;

/**
 * umbinfmt: {@code mount -t umbinfmt none /proc/sys/fs/binfmt_misc} gives the view a
 * binfmt_misc of its own, with the kernel's register syntax; exec in the view consults it.
 */
public final class UmbinfmtModule implements Module {
    @Override
    public String name() {
        return "umbinfmt";
    }

    @Override
    public String description() {
        return "a binfmt_misc of the view: register, status, one file per entry; exec runs the interpreters";
    }

    @Override
    public FileSystem mount(MountRequest request) throws ModuleException {
        return new BinfmtFiles(request.caller().uid(), request.caller().gid());
    }
}
