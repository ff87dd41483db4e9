package org.umview.view;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The mounts of a view, in the order they were made. A path belongs to the mount with the
 * longest matching target; of two mounts on one target the newer wins. Readers (every path
 * call) never lock; mounts and unmounts are rare.
 */
public final class MountTable {
    private final List<Mount> mounts = new CopyOnWriteArrayList<>();
    private final List<Runnable> watchers = new CopyOnWriteArrayList<>();

    public boolean isEmpty() {
        return mounts.isEmpty();
    }

    public void add(Mount mount) {
        mounts.add(mount);
        watchers.forEach(Runnable::run);
    }

    public boolean remove(Mount mount) {
        boolean removed = mounts.remove(mount);
        if (removed) {
            watchers.forEach(Runnable::run);
        }
        return removed;
    }

    /** Runs {@code watcher} after each change of the table (the kernel's mount event, which /proc/PID/mounts polls). */
    public void watch(Runnable watcher) {
        watchers.add(watcher);
    }

    /** The mount serving {@code path} for a process of {@code view} at {@code epoch}, or null for the host. */
    public Mount find(String path, long epoch, ViewNode view) {
        Mount best = null;
        for (Mount mount : mounts) {
            if (mount.epoch() <= epoch && mount.covers(path) && view.sees(mount)
                    && (best == null || mount.target().length() >= best.target().length())) {
                best = mount;
            }
        }
        return best;
    }

    /** The newest listed mount made in {@code view} whose target is exactly {@code target}, or null. */
    public Mount at(String target, ViewNode view) {
        Mount found = null;
        for (Mount mount : mounts) {
            if (mount.target().equals(target) && mount.view() == view && mount.listed()) {
                found = mount;
            }
        }
        return found;
    }

    /** The mounts a process of {@code view} sees, oldest first. */
    public List<Mount> visible(ViewNode view) {
        List<Mount> visible = new ArrayList<>();
        for (Mount mount : mounts) {
            if (view.sees(mount)) {
                visible.add(mount);
            }
        }
        return visible;
    }

    /**
     * The file systems of the mounts a process of {@code view} at {@code epoch} sees that are
     * also a {@code kind} (names, identity, clock, interpreters), newest first.
     */
    public <T> List<T> serving(Class<T> kind, ViewNode view, long epoch) {
        List<T> found = new ArrayList<>();
        for (Mount mount : mounts) {
            if (mount.epoch() <= epoch && view.sees(mount) && kind.isInstance(mount.fileSystem())) {
                found.add(0, kind.cast(mount.fileSystem()));
            }
        }
        return found;
    }

    public List<Mount> list() {
        return new ArrayList<>(mounts);
    }
}
