package org.umview.trace;

import jnr.ffi.Pointer;
import org.umview.launch.ShimLauncher;
import org.umview.libc.Native;

/**
 * Wakes the tracer's waitpid when work done on another thread (a module call that may wait
 * on a traced process) is ready to be carried out. The bell is an untraced child that stops
 * itself when a byte arrives: its stop is a waitpid event like any tracee's, so no wake-up is
 * lost between the tracer's last look at its queue and its next sleep.
 */
final class Doorbell {
    private final ShimLauncher.Spawned bell;
    private final Pointer oneByte = Native.allocate(1);
    private volatile boolean closed;

    private Doorbell(ShimLauncher.Spawned bell) {
        this.bell = bell;
    }

    /** Starts the bell; call it on the tracer thread, whose child it must be. */
    static Doorbell start(ShimLauncher launcher) {
        return new Doorbell(launcher.spawnDoorbell());
    }

    int pid() {
        return bell.pid();
    }

    /** From any thread. */
    void ring() {
        if (!closed) {
            Native.processControl().write(bell.syncFd(), oneByte, 1);
        }
    }

    /** The bell ends (end of file on its pipe) and is reaped like any child. */
    void close() {
        if (!closed) {
            closed = true;
            Native.processControl().close(bell.syncFd());
        }
    }
}
