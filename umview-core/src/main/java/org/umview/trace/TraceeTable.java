package org.umview.trace;

import java.util.HashMap;
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

    void root(int tid) {
        Tracee root = add(tid);
        root.announced = true;
        root.setTgid(tid);
    }

    /** {@code parent} reported the creation of {@code tid} with clone {@code flags}. */
    void announced(int tid, Tracee parent, long flags) {
        if (tombstones.remove(tid)) {
            return;
        }
        Tracee child = get(tid);
        child.announced = true;
        child.setTgid((flags & CLONE_THREAD) != 0 ? parent.tgid() : tid);
    }

    void exited(int tid) {
        Tracee gone = byTid.remove(tid);
        live.remove(tid);
        if (gone == null || !gone.announced) {
            tombstones.add(tid);
        }
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
