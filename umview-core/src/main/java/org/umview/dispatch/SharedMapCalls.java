package org.umview.dispatch;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umview.memory.TraceeMemory;
import org.umview.memory.TraceeMemoryException;
import org.umview.module.ModuleException;
import org.umview.process.SharedMaps;
import org.umview.syscall.SyscallRequest;

/**
 * Writes what programs wrote in writable shared maps of virtual files back to the files: at
 * msync and munmap of a map, and for all of them before exec and exit_group end the address
 * space. Only the bytes that changed since the last write-back are written.
 */
final class SharedMapCalls {
    static final java.util.Set<String> CALLS = java.util.Set.of("msync", "munmap", "exit_group", "execve", "execveat");
    private static final Logger LOG = LoggerFactory.getLogger(SharedMapCalls.class);
    private static final int GAP = 64;

    private final TraceeMemory memory;
    private final ModuleWork work;

    SharedMapCalls(TraceeMemory memory, ModuleWork work) {
        this.memory = memory;
        this.work = work;
    }

    /** The verdict for a call that syncs or may end maps of virtual files, or null if it touches none. */
    Verdict decide(SyscallRequest request) {
        SharedMaps maps = request.process().maps();
        if (maps.isEmpty()) {
            return null;
        }
        String name = request.call().name();
        boolean exec = name.startsWith("execve");
        if (exec && maps.writtenBackFor(request)) {
            return null; // written back already: the exec itself is decided now
        }
        List<SharedMaps.SharedMap> touched = name.equals("msync") || name.equals("munmap")
                ? maps.overlapping(request.arg(0), request.arg(1)) : maps.all();
        if (touched.isEmpty()) {
            return null;
        }
        // The bytes are read now, on the tracer thread; writing them may wait on a FUSE program.
        List<byte[]> written = new ArrayList<>(touched.size());
        for (SharedMaps.SharedMap map : touched) {
            try {
                written.add(memory.read(request.tid(), map.address(), map.stored().length));
            } catch (TraceeMemoryException e) {
                written.add(null); // unmapped behind our back (mremap): nothing to write
            }
        }
        boolean mayWait = touched.stream().anyMatch(m -> m.file().mount().fileSystem().mayWaitOnTracees());
        return work.answer(mayWait, () -> {
            for (int i = 0; i < touched.size(); i++) {
                if (written.get(i) != null) {
                    writeBack(touched.get(i), written.get(i));
                }
            }
            return switch (name) {
                // Gone only if the kernel unmaps them (a bad range leaves them in place).
                case "munmap" -> Verdict.watch(result -> {
                    if (result == 0) {
                        touched.forEach(maps::remove);
                    }
                });
                case "exit_group" -> {
                    touched.forEach(maps::remove);
                    yield Verdict.CONTINUE;
                }
                case "msync" -> Verdict.CONTINUE;
                // exec is decided once they are written (its path may need deciding too); a
                // successful one ends the address space and its maps with it.
                default -> {
                    maps.writtenBack(request);
                    yield Verdict.AGAIN;
                }
            };
        });
    }

    /**
     * Writes the runs of bytes that differ from what was stored: not whole pages, so that a
     * map made separately of the same file (which this one does not see) loses nothing it
     * wrote elsewhere in a page.
     */
    private static void writeBack(SharedMaps.SharedMap map, byte[] now) {
        byte[] stored = map.stored();
        int at = 0;
        while (true) {
            int from = java.util.Arrays.mismatch(now, at, now.length, stored, at, stored.length);
            if (from < 0) {
                break;
            }
            from += at;
            int end = from + 1;
            // A run ends after GAP equal bytes: fewer, larger writes.
            for (int same = 0; end < now.length && same < GAP; end++) {
                same = now[end] == stored[end] ? same + 1 : 0;
            }
            while (end > from && now[end - 1] == stored[end - 1]) {
                end--;
            }
            try {
                ByteBuffer bytes = ByteBuffer.wrap(now, from, end - from);
                while (bytes.hasRemaining()) {
                    if (map.file().file().write(bytes, map.offset() + bytes.position()) <= 0) {
                        break;
                    }
                }
            } catch (ModuleException e) {
                LOG.warn("a shared map of {} could not be written back: {}", map.file().path(), e.getMessage());
            }
            at = end;
        }
        map.stored(now);
    }
}
