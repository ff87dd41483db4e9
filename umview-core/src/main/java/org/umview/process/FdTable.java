package org.umview.process;

import java.util.HashMap;
import java.util.Map;

/**
 * The virtual descriptors of a process: descriptor number to open file. The number is that
 * of a placeholder descriptor the tracee really holds, so the kernel keeps choosing numbers
 * (lowest free first) and closing them (close-on-exec, exit). Shared by threads and by
 * CLONE_FILES children, copied for others.
 */
public final class FdTable {
    private final Map<Integer, VirtualFile> byFd = new HashMap<>();
    private int users = 1;

    /** One more thread or process uses this table (CLONE_FILES). */
    synchronized FdTable share() {
        users++;
        return this;
    }

    /** A user is gone (exit, exec); the last one releases every open file. */
    synchronized void leave() {
        if (--users == 0) {
            clear();
        }
    }

    public synchronized VirtualFile get(int fd) {
        return byFd.get(fd);
    }

    public synchronized boolean isEmpty() {
        return byFd.isEmpty();
    }

    /** {@code fd} now refers to {@code file} (a dup, or a new open); what it held before is released. */
    public synchronized void put(int fd, VirtualFile file) {
        file.retain();
        VirtualFile previous = byFd.put(fd, file);
        if (previous != null) {
            previous.release();
        }
    }

    /** Registers a new open file, whose first reference this descriptor is. */
    public synchronized void open(int fd, VirtualFile file) {
        VirtualFile previous = byFd.put(fd, file);
        if (previous != null) {
            previous.release();
        }
    }

    public synchronized void close(int fd) {
        VirtualFile file = byFd.remove(fd);
        if (file != null) {
            file.release();
        }
    }

    public synchronized void closeRange(int first, int last) {
        retainOnly(fd -> fd < first || fd > last);
    }

    /** A copy for a child that does not share its parent's table. */
    public synchronized FdTable copy() {
        FdTable copy = new FdTable();
        byFd.forEach((fd, file) -> copy.put(fd, file));
        return copy;
    }

    /** After an exec: keeps the descriptors the kernel kept. */
    public synchronized void retainOnly(java.util.function.IntPredicate stillOpen) {
        byFd.keySet().removeIf(fd -> {
            if (!stillOpen.test(fd)) {
                byFd.get(fd).release();
                return true;
            }
            return false;
        });
    }

    private void clear() {
        byFd.values().forEach(VirtualFile::release);
        byFd.clear();
    }
}
