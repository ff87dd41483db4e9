package org.umview.view;

/**
 * One view of the tree of views (the treepoch). A view made by splitting another sees its
 * parent's mounts made before the split, and its ancestors' likewise; mounts made later on
 * either side are invisible to the other.
 */
public final class ViewNode {
    private final int id;
    private final ViewNode parent;
    private final long splitEpoch;
    private volatile String name;

    ViewNode(int id, ViewNode parent, long splitEpoch, String name) {
        this.id = id;
        this.parent = parent;
        this.splitEpoch = splitEpoch;
        this.name = name == null ? "" : name;
    }

    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    /** The view this one was split from; null for the root. */
    public ViewNode parent() {
        return parent;
    }

    /** The view umview started, the root of the tree. */
    public boolean isRoot() {
        return parent == null;
    }

    /** Whether a process in this view sees {@code mount}. */
    public boolean sees(Mount mount) {
        long limit = Long.MAX_VALUE;
        for (ViewNode node = this; node != null; node = node.parent) {
            if (mount.view() == node) {
                return mount.epoch() < limit;
            }
            limit = Math.min(limit, node.splitEpoch);
        }
        return false;
    }

    /** Whether this view is {@code ancestor} or was split from it, directly or not. */
    public boolean within(ViewNode ancestor) {
        for (ViewNode node = this; node != null; node = node.parent) {
            if (node == ancestor) {
                return true;
            }
        }
        return false;
    }
}
