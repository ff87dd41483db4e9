package org.umview.dispatch;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.umview.libc.Native;
import org.umview.libc.Pidfds;
import org.umview.net.KernelSockets;
import org.umview.view.MountTable;

/**
 * The kernel's mount event, as /proc/PID/mounts tells it to poll and epoll (POLLPRI after a
 * mount or unmount), for the listings the view serves. Such a listing is opened on a Unix
 * stream socket whose peer the supervisor keeps, with one ordinary byte waiting (a /proc file
 * always polls readable); each change of the view's mounts sends an urgent byte, and a read
 * of the listing from its start takes it, as a program told of the change reads it again.
 * Reads and seeks stay served: the kernel only polls the socket.
 */
final class MountChangeSignals {
    private static final int SOCK_STREAM = 1;

    private final Set<Signal> open = ConcurrentHashMap.newKeySet();

    MountChangeSignals(MountTable mounts) {
        mounts.watch(this::changed);
    }

    /** Connects the Unix stream socket process {@code tgid} just made at {@code fd}; null if it cannot be (it then never signals). */
    Signal connect(int tgid, int fd) {
        int copy = Pidfds.copyOf(tgid, fd);
        if (copy < 0) {
            return null;
        }
        int end = KernelSockets.pairWith(tgid, fd, SOCK_STREAM);
        if (end < 0) {
            Native.processControl().close(copy);
            return null;
        }
        KernelSockets.markReadable(end);
        Signal signal = new Signal(end, copy);
        open.add(signal);
        return signal;
    }

    private void changed() {
        open.forEach(Signal::mark);
    }

    /** One listing's socket: the supervisor's end and its own copy of the listing's (to take the urgent byte whoever holds it now). */
    final class Signal {
        private final int end;
        private final int listing;
        private boolean closed;

        private Signal(int end, int listing) {
            this.end = end;
            this.listing = listing;
        }

        private synchronized void mark() {
            if (!closed) {
                KernelSockets.markUrgent(end);
            }
        }

        /** The listing is read from its start: the change is told. */
        synchronized void taken() {
            if (!closed) {
                KernelSockets.takeUrgent(listing);
            }
        }

        /** The listing's last descriptor is closed. */
        synchronized void close() {
            if (!closed && open.remove(this)) {
                closed = true;
                Native.processControl().close(end);
                Native.processControl().close(listing);
            }
        }
    }
}
