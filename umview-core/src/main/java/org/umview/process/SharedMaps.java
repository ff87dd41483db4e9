package org.umview.process;

import java.util.ArrayList;
import java.util.List;

/**
 * The writable shared maps of virtual files in one address space. The kernel cannot map a
 * module's file, so each is shared anonymous memory the supervisor filled with the file's
 * bytes; what the program writes there goes back to the file at msync, munmap, exec and
 * exit. A map holds its file open, as the kernel's does, until then.
 */
public final class SharedMaps {
    /** One map: where it is, and the bytes the file had there when last written back. */
    public static final class SharedMap {
        private final long address;
        private final long length;
        private final VirtualFile file;
        private final long offset;
        private byte[] stored;

        SharedMap(long address, long length, VirtualFile file, long offset, byte[] stored) {
            this.address = address;
            this.length = length;
            this.file = file;
            this.offset = offset;
            this.stored = stored;
        }

        public long address() {
            return address;
        }

        public VirtualFile file() {
            return file;
        }

        /** Where in the file the map starts. */
        public long offset() {
            return offset;
        }

        /** The file's bytes as last written back (the part of the map within the file). */
        public synchronized byte[] stored() {
            return stored;
        }

        public synchronized void stored(byte[] bytes) {
            stored = bytes;
        }

        boolean overlaps(long start, long size) {
            return start < address + length && address < start + size;
        }
    }

    private final List<SharedMap> maps = new ArrayList<>();
    private int users = 1;
    /** The exec call whose maps were just written back (it is decided again next). */
    private Object writtenBackFor;

    /** Whether the maps were written back for {@code call} (an exec about to be decided again). */
    public synchronized boolean writtenBackFor(Object call) {
        return writtenBackFor == call;
    }

    public synchronized void writtenBack(Object call) {
        writtenBackFor = call;
    }

    public synchronized boolean isEmpty() {
        return maps.isEmpty();
    }

    public synchronized void add(long address, long length, VirtualFile file, long offset, byte[] contents) {
        file.retain();
        maps.add(new SharedMap(address, length, file, offset, contents));
    }

    /** The maps that {@code [start, start + size)} touches. */
    public synchronized List<SharedMap> overlapping(long start, long size) {
        List<SharedMap> found = new ArrayList<>();
        for (SharedMap map : maps) {
            if (map.overlaps(start, size)) {
                found.add(map);
            }
        }
        return found;
    }

    public synchronized List<SharedMap> all() {
        return new ArrayList<>(maps);
    }

    /** The map is gone: its file may close. */
    public synchronized void remove(SharedMap map) {
        if (maps.remove(map)) {
            map.file.release();
        }
    }

    synchronized SharedMaps share() {
        users++;
        return this;
    }

    /** A thread of the address space is gone (or it was replaced by exec): the last lets the files go. */
    synchronized void leave() {
        if (--users == 0) {
            maps.forEach(map -> map.file.release());
            maps.clear();
        }
    }
}
