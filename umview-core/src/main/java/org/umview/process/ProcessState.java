package org.umview.process;

import org.umview.view.ViewNode;

/**
 * The supervisor's view of one thread's process: the parts the kernel lets threads share
 * (cwd via CLONE_FS, descriptors via CLONE_FILES), what its seccomp chain traps (one for all
 * its threads), and the view it is in.
 */
public final class ProcessState {
    private static final long CLONE_VM = 0x100;
    private static final long CLONE_FS = 0x200;
    private static final long CLONE_FILES = 0x400;
    private static final long CLONE_THREAD = 0x10000;

    private FsContext fs;
    private FdTable files;
    private SharedMaps maps = new SharedMaps();
    /** Shared by the threads of the process, as their filters are. */
    private final FilterChain chain;
    private ViewNode view;
    private Service service;
    private volatile boolean superuser;
    /** Its default network stack for each family mstack set (inherited by children and kept by exec); others: the view's. */
    private volatile java.util.Map<Integer, org.umview.view.Mount> stacks = java.util.Map.of();
    /** no_new_privs as the program set it (the kernel's is always set in a view); inherited, kept by exec. */
    private volatile boolean noNewPrivs;
    /** uid and gid this process (and its children) is told it has (viewsu); null: not set. */
    private volatile int[] identity;

    public ProcessState() {
        this(new FsContext(), new FdTable(), new FilterChain(), null, null);
    }

    private ProcessState(FsContext fs, FdTable files, FilterChain chain, ViewNode view, Service service) {
        this.fs = fs;
        this.files = files;
        this.chain = chain;
        this.view = view;
        this.service = service;
    }

    /** The service this process (and every child it makes) is part of; null for an ordinary process. */
    public Service service() {
        return service;
    }

    /** The process now serves a mount: it sees the world as it was before it, and does not keep its view alive. */
    public void serve(Service service) {
        this.service = service;
    }

    public boolean noNewPrivs() {
        return noNewPrivs;
    }

    public void setNoNewPrivs() {
        noNewPrivs = true;
    }

    /** The stack mstack chose for sockets of {@code family}, or null: the view's default. */
    public org.umview.view.Mount stackFor(int family) {
        return stacks.get(family);
    }

    /** mstack: {@code stack} is the default for {@code families} from now on, in this process and the children it makes. */
    public void chooseStack(org.umview.view.Mount stack, java.util.Set<Integer> families) {
        java.util.Map<Integer, org.umview.view.Mount> chosen = new java.util.HashMap<>(stacks);
        families.forEach(family -> chosen.put(family, stack));
        stacks = java.util.Map.copyOf(chosen);
    }

    /** Whether the process is told it runs as root (util-linux mount and umount, which refuse users otherwise). */
    public boolean superuser() {
        return superuser;
    }

    public void setSuperuser(boolean superuser) {
        this.superuser = superuser;
    }

    /** The uid and gid set by viewsu/viewsudo for this process and its children, or null. */
    public int[] identity() {
        return identity;
    }

    public void setIdentity(int uid, int gid) {
        this.identity = new int[] {uid, gid};
    }

    /** The newest mount epoch this process sees. */
    public long epoch() {
        return service == null ? org.umview.view.Epoch.now() : service.epoch();
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

    /** The writable shared maps of virtual files in this process's address space. */
    public SharedMaps maps() {
        return maps;
    }

    /** What its seccomp chain traps. */
    public FilterChain chain() {
        return chain;
    }

    /** The state of a child made by clone with {@code flags}. */
    public ProcessState child(long flags) {
        ProcessState child = new ProcessState((flags & CLONE_FS) != 0 ? fs : fs.copy(),
                (flags & CLONE_FILES) != 0 ? files.share() : files.copy(),
                (flags & CLONE_THREAD) != 0 ? chain : chain.copy(), view, service);
        child.identity = identity;
        child.stacks = stacks;
        child.noNewPrivs = noNewPrivs;
        if ((flags & CLONE_VM) != 0) {
            child.maps = maps.share();
        }
        return child;
    }

    /** exec gives the process a table of its own, less the close-on-exec descriptors. */
    public void execed(java.util.function.IntPredicate stillOpen) {
        FdTable own = files.copy();
        files.leave();
        files = own;
        files.retainOnly(stillOpen);
        maps.leave();
        maps = new SharedMaps();
    }

    /** The thread is gone. */
    public void exited() {
        files.leave();
        maps.leave();
    }
}
