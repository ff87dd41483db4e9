package org.umview.dispatch;

import java.util.BitSet;
import org.umview.syscall.SyscallRequest;
import org.umview.syscall.SyscallTable;

/**
 * The dispatcher of a view with no module loaded: it traps only the calls the core serves
 * itself (mount, umount2 and the control channel) and lets mount/umount2 reach the kernel,
 * which answers them as it would outside the view.
 */
public final class CoreDispatcher implements Dispatcher {
    private final BitSet trapped = new BitSet();
    private final ControlChannel control = new ControlChannel();

    public CoreDispatcher(SyscallTable table) {
        trapped.set(table.number("mount"));
        trapped.set(table.number("umount2"));
        trapped.set(ControlChannel.SYSCALL_NUMBER);
    }

    @Override
    public BitSet trappedSyscalls() {
        return (BitSet) trapped.clone();
    }

    @Override
    public Verdict decide(SyscallRequest request) {
        if (request.number() == ControlChannel.SYSCALL_NUMBER) {
            return control.serve(request);
        }
        return Verdict.CONTINUE;
    }
}
