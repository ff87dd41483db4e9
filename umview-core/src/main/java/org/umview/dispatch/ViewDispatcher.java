package org.umview.dispatch;

import java.util.BitSet;
import org.umview.memory.TraceeMemory;
import org.umview.path.PathResolver;
import org.umview.syscall.ArgKind;
import org.umview.syscall.SyscallRequest;
import org.umview.syscall.SyscallTable;
import org.umview.view.View;

/**
 * Decides the trapped calls of a view. It traps the calls the core serves itself (mount,
 * umount2, the control channel) and, once a module serving file systems is loaded, every call
 * that takes a path; a process that comes to hold virtual descriptors also traps the calls on
 * descriptors. Everything else never leaves the kernel.
 */
public final class ViewDispatcher implements Dispatcher {
    private final View view;
    private final SyscallTable table;
    private final ControlChannel control;
    private final PathCalls paths;
    private final DescriptorCalls descriptors;
    private final MountCalls mounts;
    private final int mount;
    private final int umount2;

    public ViewDispatcher(View view, SyscallTable table, TraceeMemory memory, ExecutableCopies executables,
            ControlChannel.ViewControl viewControl) {
        this.view = view;
        this.table = table;
        this.control = new ControlChannel(view, memory, viewControl);
        PathResolver resolver = new PathResolver(view);
        this.descriptors = new DescriptorCalls(memory);
        this.paths = new PathCalls(view, memory, resolver, new FileCalls(memory, table, executables), descriptors);
        this.mounts = new MountCalls(view, memory, resolver);
        this.mount = table.number("mount");
        this.umount2 = table.number("umount2");
    }

    @Override
    public BitSet trappedSyscalls() {
        BitSet trapped = new BitSet();
        trapped.set(mount);
        trapped.set(umount2);
        trapped.set(ControlChannel.SYSCALL_NUMBER);
        if (view.servesFileSystems()) {
            for (int nr = 0; nr <= table.highest(); nr++) {
                if (PathArgument.takesPaths(table.byNumber(nr))) {
                    trapped.set(nr);
                }
            }
        }
        return trapped;
    }

    @Override
    public Verdict decide(SyscallRequest request) {
        int number = request.number();
        if (number == ControlChannel.SYSCALL_NUMBER) {
            return control.serve(request);
        }
        if (number == mount) {
            return mounts.mount(request);
        }
        if (number == umount2) {
            return mounts.umount(request);
        }
        if (PathArgument.takesPaths(request.call())) {
            return paths.decide(request);
        }
        return descriptors.decide(request);
    }

    @Override
    public BitSet descriptorSyscalls() {
        BitSet trapped = new BitSet();
        for (int nr = 0; nr <= table.highest(); nr++) {
            if (table.byNumber(nr).args().contains(ArgKind.FD)) {
                trapped.set(nr);
            }
        }
        trapped.set(table.number("getcwd"));
        return trapped;
    }
}
