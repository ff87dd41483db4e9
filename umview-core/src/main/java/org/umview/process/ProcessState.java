package org.umview.process;

import org.umview.view.ViewNode;

/**
 * The supervisor's view of one thread's process: the parts the kernel lets threads share
 * (cwd via CLONE_FS, descriptors via CLONE_FILES), whether the process already traps the
 * calls on descriptors (a seccomp filter, inherited like any other), and the view it is in.
 */
public final class ProcessState {
    private static final long CLONE_FS = 0x200;
    private static final long CLONE_FILES = 0x400;

    private FsContext fs;
    private FdTable files;
    private boolean fdTraps;
    private ViewNode view;

    public ProcessState() {
        this(new FsContext(), new FdTable(), false, null);
    }

    private ProcessState(FsContext fs, FdTable files, boolean fdTraps, ViewNode view) {
        this.fs = fs;
        this.files = files;
        this.fdTraps = fdTraps;
        this.view = view;
    }

    /** The view this process is in; null for the view umview started. */
    public ViewNode view() {
        return view;
    }

    /** Moves the process into another view (umview run inside a view). */
    public void enter(ViewNode view) {
        this.view = view;
    }

    public FsContext fs() {
        return fs;
    }

    public FdTable files() {
        return files;
    }

    public boolean fdTraps() {
        return fdTraps;
    }

    public void setFdTraps() {
        fdTraps = true;
    }

    /** The state of a child made by clone with {@code flags}. */
    public ProcessState child(long flags) {
        return new ProcessState((flags & CLONE_FS) != 0 ? fs : fs.copy(),
                (flags & CLONE_FILES) != 0 ? files.share() : files.copy(), fdTraps, view);
    }

    /** exec gives the process a table of its own, less the close-on-exec descriptors. */
    public void execed(java.util.function.IntPredicate stillOpen) {
        FdTable own = files.copy();
        files.leave();
        files = own;
        files.retainOnly(stillOpen);
    }

    /** The thread is gone. */
    public void exited() {
        files.leave();
    }
}
