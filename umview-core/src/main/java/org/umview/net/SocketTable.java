package org.umview.net;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.umview.libc.Links;

/**
 * What the supervisor knows of kernel Unix sockets it made for programs (the sockets of
 * virtual stacks, the connected files of modules), by the socket's inode: whatever descriptor
 * a process holds one by (dup'ed, inherited, passed over a Unix socket), it is found from
 * {@code /proc/TID/fd/FD}. Entries of sockets the kernel has freed are swept from time to
 * time, by what {@code /proc/net/unix} still lists.
 */
public final class SocketTable<T> {
    private static final int FIRST_SWEEP = 256;
    private final Map<Long, T> byInode = new ConcurrentHashMap<>();
    private int sweepAt = FIRST_SWEEP;

    /** The inode of the socket that descriptor {@code fd} of thread {@code tid} is, or -1 if it is no socket. */
    public static long inodeOf(int tid, long fd) {
        if (fd < 0 || fd > Integer.MAX_VALUE) {
            return -1;
        }
        String link = Links.readlink("/proc/" + tid + "/fd/" + fd);
        if (link == null || !link.startsWith("socket:[") || !link.endsWith("]")) {
            return -1;
        }
        try {
            return Long.parseLong(link.substring(8, link.length() - 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** What descriptor {@code fd} of thread {@code tid} is, or null (a socket not in the table, or no socket). */
    public T of(int tid, long fd) {
        if (byInode.isEmpty()) {
            return null;
        }
        long inode = inodeOf(tid, fd);
        return inode < 0 ? null : byInode.get(inode);
    }

    /** Descriptor {@code fd} of thread {@code tid}, just made, is {@code socket}. */
    public void add(int tid, long fd, T socket) {
        long inode = inodeOf(tid, fd);
        if (inode < 0) {
            return;
        }
        byInode.put(inode, socket);
        synchronized (this) {
            if (byInode.size() >= sweepAt) {
                sweep();
                sweepAt = Math.max(FIRST_SWEEP, 2 * byInode.size());
            }
        }
    }

    /** Whether a socket {@code which} accepts is still open somewhere. */
    public boolean any(java.util.function.Predicate<T> which) {
        sweep();
        return byInode.values().stream().anyMatch(which);
    }

    private void sweep() {
        java.util.Set<Long> live = new java.util.HashSet<>();
        try (var lines = java.nio.file.Files.lines(java.nio.file.Path.of("/proc/net/unix"))) {
            lines.skip(1).forEach(line -> {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 6) {
                    try {
                        live.add(Long.parseLong(fields[6]));
                    } catch (NumberFormatException e) {
                        // a header or a line of another shape: nothing to keep
                    }
                }
            });
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return; // unreadable: keep everything
        }
        byInode.keySet().retainAll(live);
    }
}
