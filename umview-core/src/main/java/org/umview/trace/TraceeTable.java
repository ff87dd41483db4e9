package org.umview.trace;

import org.umview.process.ProcStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The threads of the view. Owned by the tracer thread, except {@link #liveIds}, which the
 * shutdown path reads from another thread.
 *
 * <p>Events of different threads arrive in any order: a child may stop, or even exit, before
 * its parent reports the fork. So entries are made on first sight, and the exit of a thread
 * whose creation was not reported yet leaves a tombstone that the late report consumes.
 */
final class TraceeTable {
    private static final long CLONE_THREAD = 0x10000;

    private final Map<Integer, Tracee> byTid = new HashMap<>();
    private final Set<Integer> tombstones = new HashSet<>();
    private final Set<Integer> live = ConcurrentHashMap.newKeySet();

    /** The entry of a thread that stopped; created if this is its first stop. */
    Tracee get(int tid) {
        Tracee tracee = byTid.get(tid);
        return tracee != null ? tracee : add(tid);
    }

    /** A process the tracer started itself: the view's first, or one serving a mount. */
    Tracee root(int tid) {
        Tracee root = add(tid);
        root.announced = true;
        root.setTgid(tid);
        return root;
    }

    /**
     * {@code parent} reported the creation of {@code tid} with clone {@code flags}. Returns the
     * child if it was held waiting for this report (the caller resumes it), else null.
     */
    Tracee announced(int tid, Tracee parent, long flags) {
        if (tombstones.remove(tid)) {
            return null;
        }
        Tracee child = get(tid);
        child.announced = true;
        child.setTgid((flags & CLONE_THREAD) != 0 ? parent.tgid() : tid);
        child.process = parent.process.child(flags);
        if ((flags & CLONE_THREAD) == 0 && child.process.service() != null) {
            child.process.service().processStarted();
        }
        child.pendingTraps = parent.pendingTraps;
        if (!child.held) {
            return null;
        }
        child.held = false;
        return child;
    }

    /** Returns the entry of the thread that exited, or null if it had none. */
    Tracee exited(int tid) {
        Tracee gone = byTid.remove(tid);
        live.remove(tid);
        if (gone == null || !gone.announced) {
            tombstones.add(tid);
        }
        if (gone != null) {
            gone.gone = true;
            gone.process.exited();
        }
        return gone;
    }

    /**
     * Whether any thread left, other than those serving mounts, is in {@code view} or a view
     * split from it (a process never moved from the root view is in it).
     */
    boolean anyIn(org.umview.view.ViewNode view) {
        return byTid.values().stream().anyMatch(t -> t.process.service() == null
                && (t.process.view() != null ? t.process.view().within(view) : view.isRoot()));
    }

    /**
     * Held threads whose creator can no longer report them (it died between clone and its
     * report): they go on with a state of their own.
     */
    List<Tracee> orphansOfDeadCreators() {
        List<Tracee> orphans = new ArrayList<>();
        for (Tracee tracee : byTid.values()) {
            if (tracee.held && !creatorAlive(tracee)) {
                tracee.held = false;
                tracee.announced = true;
                orphans.add(tracee);
            }
        }
        return orphans;
    }

    boolean isEmpty() {
        return byTid.isEmpty();
    }

    boolean anyHeld() {
        return byTid.values().stream().anyMatch(t -> t.held);
    }

    private boolean creatorAlive(Tracee child) {
        int creator = child.tgid() != child.tid ? child.tgid() : ProcStatus.parent(child.tid);
        return byTid.values().stream().anyMatch(t -> t != child && t.tgid() == creator);
    }

    /**
     * After an exec by a thread other than the leader, that thread takes the leader's id and
     * its old id vanishes without an exit report.
     */
    Tracee execed(int leader, int formerTid) {
        if (formerTid != leader) {
            byTid.remove(formerTid);
            live.remove(formerTid);
        }
        return get(leader);
    }

    /** A filter with TSYNC trapping {@code installed} reached every thread of {@code tgid}. */
    void trapsInstalled(int tgid, org.umview.seccomp.TrapSet installed) {
        for (Tracee tracee : byTid.values()) {
            if (tracee.tgid() == tgid && tracee.pendingTraps != null) {
                org.umview.seccomp.TrapSet rest = tracee.pendingTraps.without(installed);
                tracee.pendingTraps = rest.isEmpty() ? null : rest; // traps added while these went in
            }
        }
    }

    java.util.Collection<Tracee> all() {
        return new ArrayList<>(byTid.values());
    }

    /** The processes (their leaders' ids) that serve a mount as {@code service}. */
    Set<Integer> processesOf(org.umview.process.Service service) {
        return byTid.values().stream().filter(t -> t.process.service() == service).map(Tracee::tgid)
                .collect(java.util.stream.Collectors.toSet());
    }

    /** The threads of the processes that serve no mount: those a SIGTERM to the view is for. */
    Set<Integer> programIds() {
        return byTid.values().stream().filter(t -> t.process.service() == null).map(t -> t.tid)
                .collect(java.util.stream.Collectors.toSet());
    }

    /** The ids of the threads alive now; safe to call from any thread. */
    Set<Integer> liveIds() {
        return Set.copyOf(live);
    }

    private Tracee add(int tid) {
        Tracee tracee = new Tracee(tid);
        byTid.put(tid, tracee);
        live.add(tid);
        return tracee;
    }
}
