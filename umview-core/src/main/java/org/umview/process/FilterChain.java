package org.umview.process;

import java.util.BitSet;

/**
 * What a process's seccomp chain traps beyond the view's filter: the calls on the descriptor
 * numbers that were virtual once, relative to the directories above mounts, the maps, the cwd
 * calls, and whether the chain has the supervisor's listener. Filters are added with TSYNC,
 * so one chain serves every thread of a process; a child process inherits a copy. The kernel
 * bounds a chain (32768 instructions in all): past {@link #addedInstructions} the process traps
 * every descriptor call instead of one more filter per descriptor.
 */
public final class FilterChain {
    private final BitSet descriptors;
    private final BitSet dirfds;
    /** Descriptors whose traps some thread is putting in (not inherited: a child has none of them). */
    private final BitSet asked = new BitSet();
    private int addedInstructions;
    /** Every descriptor call is to be trapped (asked for), and is (installed). */
    private boolean everyDescriptorCall;
    private boolean everyDescriptorCallInstalled;
    private boolean maps;
    private boolean cwd;
    private boolean listened;
    /** The seccomp filters the program installed itself, oldest first (the supervisor's are not among them). */
    private java.util.List<org.umview.seccomp.FilterProgram> own = java.util.List.of();

    public FilterChain() {
        this(new BitSet(), new BitSet());
    }

    private FilterChain(BitSet descriptors, BitSet dirfds) {
        this.descriptors = descriptors;
        this.dirfds = dirfds;
    }

    /** A child process's: the filters are inherited, and what they trap with them. */
    synchronized FilterChain copy() {
        FilterChain copy = new FilterChain((BitSet) descriptors.clone(), (BitSet) dirfds.clone());
        copy.addedInstructions = addedInstructions;
        copy.everyDescriptorCall = everyDescriptorCall;
        copy.everyDescriptorCallInstalled = everyDescriptorCallInstalled;
        copy.maps = maps;
        copy.cwd = cwd;
        copy.listened = listened;
        copy.own = own;
        return copy;
    }

    /**
     * Whether calls on descriptor {@code fd} are trapped already (it was virtual once): their
     * filter is in. While it is on its way from one thread, another thread that makes the
     * number virtual must wait for traps too.
     */
    public synchronized boolean trapsDescriptor(int fd) {
        return everyDescriptorCallInstalled || descriptors.get(fd);
    }

    /** Traps for {@code fd} are on their way. */
    public synchronized void descriptorAsked(int fd) {
        asked.set(fd);
    }

    /** The descriptors whose traps are on their way. */
    public synchronized BitSet askedDescriptors() {
        return (BitSet) asked.clone();
    }

    /** The traps of {@code fd} are in. */
    public synchronized void descriptorTrapped(int fd) {
        asked.clear(fd);
        descriptors.set(fd);
        dirfds.set(fd);
    }

    /** Whether calls relative to directory descriptor {@code fd} are trapped already. */
    public synchronized boolean trapsDirfd(int fd) {
        return everyDescriptorCallInstalled || dirfds.get(fd);
    }

    public synchronized void dirfdTrapped(int fd) {
        dirfds.set(fd);
    }

    /** A filter of {@code instructions} was added. */
    public synchronized void filterAdded(int instructions) {
        addedInstructions += instructions;
    }

    public synchronized int addedInstructions() {
        return addedInstructions;
    }

    /**
     * Whether every descriptor call is to be trapped. Until the filter that does it is in, a
     * descriptor that becomes virtual in another thread still needs traps of its own: that
     * thread adds the same filter to what it installs before it runs on.
     */
    public synchronized boolean trapsEveryDescriptorCall() {
        return everyDescriptorCall;
    }

    public synchronized void trapEveryDescriptorCall() {
        everyDescriptorCall = true;
    }

    /** Whether the filter trapping every descriptor call is in the chain. */
    public synchronized boolean everyDescriptorCallIn() {
        return everyDescriptorCallInstalled;
    }

    /** The filter trapping every descriptor call is in the chain. */
    public synchronized void everyDescriptorCallInstalled() {
        everyDescriptorCallInstalled = true;
    }

    /** Whether msync, munmap and exit_group are trapped (the process made a shared map of a virtual file once). */
    public synchronized boolean mapsTrapped() {
        return maps;
    }

    public synchronized void setMapsTrapped() {
        maps = true;
    }

    /** Whether getcwd and fchdir are trapped (the process went into a served directory once). */
    public synchronized boolean cwdTraps() {
        return cwd;
    }

    public synchronized void setCwdTraps() {
        cwd = true;
    }

    /** Whether a filter of the chain sends calls to a listener of the supervisor's (a chain may have one only). */
    /** The program's own seccomp filters, oldest first. */
    public synchronized java.util.List<org.umview.seccomp.FilterProgram> ownFilters() {
        return own;
    }

    /** The program installed {@code filter} (the kernel's chain is inherited by fork and kept by exec, as this is). */
    public synchronized void ownFilterAdded(org.umview.seccomp.FilterProgram filter) {
        java.util.List<org.umview.seccomp.FilterProgram> more = new java.util.ArrayList<>(own);
        more.add(filter);
        own = java.util.List.copyOf(more);
    }

    public synchronized boolean listened() {
        return listened;
    }

    public synchronized void setListened() {
        listened = true;
    }
}
