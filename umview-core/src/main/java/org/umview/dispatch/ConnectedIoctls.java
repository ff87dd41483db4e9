package org.umview.dispatch;

import org.umview.memory.TraceeMemory;
import org.umview.module.ConnectedFile;
import org.umview.module.ModuleException;
import org.umview.net.SocketTable;
import org.umview.seccomp.TrapSet;
import org.umview.syscall.SyscallRequest;
import org.umview.syscall.SyscallTable;
import org.umview.view.View;

/**
 * ioctl on the socket of a {@link ConnectedFile} (a tap's TUNSETIFF): the kernel would answer
 * ENOTTY, so the requests the mounted file systems name are trapped, whatever the descriptor,
 * and those made on such a socket are served by its file; the rest go on to the kernel.
 */
final class ConnectedIoctls {
    private final View view;
    private final TraceeMemory memory;
    private final SocketTable<ConnectedFile> connected;
    private final int ioctl;

    ConnectedIoctls(View view, TraceeMemory memory, SocketTable<ConnectedFile> connected, SyscallTable table) {
        this.view = view;
        this.memory = memory;
        this.connected = connected;
        this.ioctl = table.number("ioctl");
    }

    /** ioctl with a request some mounted file system's connected files answer. */
    TrapSet traps() {
        TrapSet traps = new TrapSet();
        view.mounts().list().forEach(mount -> mount.fileSystem().connectedIoctls()
                .forEach(request -> traps.when(ioctl, new int[] {1}, (int) (long) request)));
        return traps;
    }

    Verdict decide(SyscallRequest request) {
        ConnectedFile file = connected.of(request.tid(), request.arg(0));
        if (file == null) {
            return null;
        }
        try {
            return DescriptorCalls.ioctl(memory, request, file);
        } catch (ModuleException e) {
            return Verdict.error(e.errno());
        }
    }
}
