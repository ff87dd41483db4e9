package org.umview.path;

import java.util.concurrent.ConcurrentHashMap;
import org.umview.libc.Links;

/**
 * What the resolver learned about host paths: the symlink text, or that a path is no symlink.
 * Resolving a path asks once per component, and most path-heavy programs ask about the same
 * directories again and again. Entries are forgotten when a traced program renames, removes
 * or links anything (the view's own changes), and after {@link #TTL_NANOS} (changes made by
 * processes outside the view).
 */
final class SymlinkCache {
    private static final long TTL_NANOS = 1_000_000_000L;
    private static final int MAX_ENTRIES = 1 << 16;
    private static final String NOT_A_LINK = "";

    private record Entry(String target, long readAt) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    /** The symlink text of host path {@code path}, or null if it is not a symlink (or unreadable). */
    String readlink(String path) {
        long now = System.nanoTime();
        Entry entry = entries.get(path);
        if (entry != null && now - entry.readAt() < TTL_NANOS) {
            return entry.target() == NOT_A_LINK ? null : entry.target();
        }
        String target = Links.readlink(path);
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(path, new Entry(target == null ? NOT_A_LINK : target, now));
        return target;
    }

    /** The file system's names changed: nothing learned before can be trusted. */
    void forget() {
        entries.clear();
    }
}
