package org.umview.trace;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umview.syscall.Architecture;

/**
 * The scratch page: memory of the tracee's own where rewritten arguments (a new path) are
 * written. Mapped by an mmap injected into the thread that first needs it, so it works on
 * any stack (goroutines, sigaltstack, coroutines) where writing below the stack pointer
 * would not. One per thread, so threads of a process never overwrite each other's; an exec
 * drops it with the old address space.
 */
final class Scratch {
    static final int SIZE = 16 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(Scratch.class);

    private Scratch() {
    }

    static long[] mmapArguments(Architecture arch) {
        return new long[] {0, SIZE, arch.protReadWrite(), arch.mapPrivateAnonymous(), -1, 0};
    }

    static void mapped(Tracee tracee, long address) {
        if (address < 0 && address >= -4095) {
            LOG.warn("tracee {}: no scratch page: mmap failed with errno {}", tracee.tid, -address);
            tracee.scratchFailed = true;
        } else {
            tracee.scratch = address;
        }
    }
}
