package org.umview.process;

/**
 * A process's working directory when it is inside a served file system, where the kernel
 * cannot follow it (null: the kernel's own cwd is the truth). Shared by CLONE_FS.
 */
public final class FsContext {
    private volatile String virtualCwd;

    public String virtualCwd() {
        return virtualCwd;
    }

    public void setVirtualCwd(String cwd) {
        this.virtualCwd = cwd;
    }

    public FsContext copy() {
        FsContext copy = new FsContext();
        copy.virtualCwd = virtualCwd;
        return copy;
    }
}
