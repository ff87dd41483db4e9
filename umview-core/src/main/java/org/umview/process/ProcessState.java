package org.umview.process;

import org.umview.view.ViewNode;

/**
 * The supervisor's view of one thread's process: the parts the kernel lets threads share
 * (cwd via CLONE_FS, descriptors via CLONE_FILES), which descriptor numbers the process
 * already traps calls on (seccomp filters, inherited like any other), and the view it is in.
 */
public final class ProcessState {
    private static final long CLONE_FS = 0x200;
    private static final long CLONE_FILES = 0x400;

    private FsContext fs;
    private FdTable files;
    private final java.util.BitSet trappedDescriptors;
    private boolean cwdTraps;
    private ViewNode view;

    public ProcessState() {
        this(new FsContext(), new FdTable(), new java.util.BitSet(), false, null);
    }

    private ProcessState(FsContext fs, FdTable files, java.util.BitSet trappedDescriptors, boolean cwdTraps,
            ViewNode view) {
        this.fs = fs;
        this.files = files;
        this.trappedDescriptors = trappedDescriptors;
        this.cwdTraps = cwdTraps;
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

    /** Whether calls on descriptor {@code fd} are trapped already (it was virtual once). */
    public synchronized boolean trapsDescriptor(int fd) {
        return trappedDescriptors.get(fd);
    }

    public synchronized void descriptorTrapped(int fd) {
        trappedDescriptors.set(fd);
    }

    /** Whether getcwd and fchdir are trapped (the process went into a served directory once). */
    public boolean cwdTraps() {
        return cwdTraps;
    }

    public void setCwdTraps() {
        cwdTraps = true;
    }

    /** The state of a child made by clone with {@code flags}. */
    public ProcessState child(long flags) {
        return new ProcessState((flags & CLONE_FS) != 0 ? fs : fs.copy(),
                (flags & CLONE_FILES) != 0 ? files.share() : files.copy(), copyOfTrapped(), cwdTraps, view);
    }

    private synchronized java.util.BitSet copyOfTrapped() {
        return (java.util.BitSet) trappedDescriptors.clone();
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
