package org.umview.dispatch;

import java.util.List;
import org.umview.memory.TraceeMemory;
import org.umview.syscall.SyscallRequest;
import org.umview.syscall.SyscallTable;

/** getdents64 of a host directory in a view with mounts: the names mounts hide or add. */
final class HostListings {
    private final TraceeMemory memory;
    private final MountedNames hidden;
    /** The supervisor's own getdents64, made on the host: the tracees' architecture is the host's. */
    private final int getdents64Number;

    HostListings(TraceeMemory memory, MountedNames hidden, SyscallTable table) {
        this.memory = memory;
        this.hidden = hidden;
        this.getdents64Number = table.number("getdents64");
    }

    /** The listing of a host directory; null for a virtual descriptor, which its file lists. */
    Verdict decide(SyscallRequest request) {
        return request.process().files().get((int) request.arg(0)) != null ? null : hostListing(request);
    }

    /**
     * The kernel lists a host directory; names that hiding mounts removed are taken out, and
     * mounts on names the host lacks are added to the first chunk of the listing.
     */
    private Verdict hostListing(SyscallRequest request) {
        String dir = org.umview.libc.Links.readlink("/proc/" + request.tid() + "/fd/" + request.arg(0));
        if (dir == null) {
            return Verdict.CONTINUE;
        }
        java.util.Set<String> names = hidden.in(dir, request.process());
        List<String> added = hidden.addedIn(dir, request.process());
        if (!added.isEmpty() && !atStart(request.tid(), (int) request.arg(0))) {
            added = List.of();
        }
        if (names.isEmpty() && added.isEmpty()) {
            return Verdict.CONTINUE;
        }
        List<String> adding = added;
        long buffer = request.arg(1);
        long room = request.arg(2);
        int fd = (int) request.arg(0);
        return Verdict.filter(length -> {
            long kept = MountedNames.filter(memory, request.tid(), buffer, length, names);
            if (kept == 0 && length > 0) {
                kept = nextVisible(request, fd, buffer, room, names);
            }
            return MountedNames.append(memory, request.tid(), buffer, kept, room, adding);
        });
    }

    /**
     * The kernel's chunk held only hidden names, and 0 would read as the end of the directory:
     * the supervisor reads on, through its own copy of the descriptor (the same open file, so
     * the directory's offset moves as the program's would), until a chunk keeps a name or the
     * directory ends.
     */
    private long nextVisible(SyscallRequest request, int fd, long buffer, long room, java.util.Set<String> names) {
        int copy = org.umview.libc.Pidfds.copyOf(request.tgid(), fd);
        if (copy < 0) {
            return 0;
        }
        int size = (int) Math.min(room, FileTransfers.MAX_TRANSFER);
        jnr.ffi.Pointer chunk = org.umview.libc.Native.allocate(size);
        org.umview.libc.ProcessControl pc = org.umview.libc.Native.processControl();
        try {
            while (true) {
                long read = pc.syscall(getdents64Number, copy, chunk.address(), size);
                if (read <= 0) {
                    return 0;
                }
                byte[] records = new byte[(int) read];
                chunk.get(0, records, 0, records.length);
                memory.write(request.tid(), buffer, records);
                long kept = MountedNames.filter(memory, request.tid(), buffer, read, names);
                if (kept > 0) {
                    return kept;
                }
            }
        } finally {
            pc.close(copy);
        }
    }

    /** Whether host descriptor {@code fd} of {@code tid} is at offset 0 (a listing starting). */
    private static boolean atStart(int tid, int fd) {
        return "0".equals(org.umview.process.FdInfo.field(tid, fd, "pos"));
    }
}
