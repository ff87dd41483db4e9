package org.umview.process;

import java.util.concurrent.CompletableFuture;

/**
 * The processes that serve a mount (a FUSE program and the children it forks): they see the
 * view as it was before their mount, so that a file system never meets itself, and a view
 * whose only processes are services is over. {@link #ended} completes, with the exit status of
 * the first process, when the last of them is gone.
 */
public final class Service {
    private final long epoch;
    private final CompletableFuture<Integer> ended = new CompletableFuture<>();
    private int processes;
    private int firstStatus = -1;

    public Service(long epoch) {
        this.epoch = epoch;
    }

    /** Mounts up to this epoch are seen by the service. */
    public long epoch() {
        return epoch;
    }

    public synchronized void processStarted() {
        processes++;
    }

    /** One of its processes exited with wait status {@code status}. */
    public synchronized void processExited(int status) {
        if (firstStatus < 0) {
            firstStatus = status;
        }
        if (--processes == 0) {
            ended.complete(firstStatus);
        }
    }

    /** The wait status of the service's first process, once every process of it is gone. */
    public CompletableFuture<Integer> ended() {
        return ended;
    }
}
