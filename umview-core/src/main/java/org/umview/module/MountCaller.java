package org.umview.module;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The process making a mount(2), as far as a module serving the mount may ask about it. */
public interface MountCaller {
    /** The open file a served file system gave the caller's descriptor {@code fd}, or null if it is a host descriptor. */
    OpenFile openFile(int fd);

    /** The caller's working directory in the view. */
    String cwd();

    /** The caller's real user id. */
    int uid();

    /** The caller's real group id. */
    int gid();

    /**
     * The caller serves the mount it is making (a FUSE program mounting itself): from now on it
     * and the children it makes see the view as it was before this mount, and do not keep the
     * view alive. Completes with the wait status of the program when all its processes are gone.
     */
    CompletableFuture<Integer> serve();

    /**
     * What ends the program serving the mount (after {@link #serve}; it may be run later, from
     * any thread): SIGTERM to each of its processes, as its user stops a FUSE program. For a
     * file system whose program reads its requests from a {@link ConnectedFile}, which cannot
     * be told ENODEV as a program reading /dev/fuse is at the end of a mount.
     */
    Runnable serviceStopper();

    /**
     * Starts {@code command} in the caller's view, with the caller's standard descriptors, as a
     * program serving this mount (see {@link #serve}). Only for modules whose mounts wait on
     * tracees ({@link Module#mountsWaitOnTracees}). Completes as {@link #serve} does; fails at
     * once if the program cannot be started.
     */
    CompletableFuture<Integer> start(List<String> command);
}
