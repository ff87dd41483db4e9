package org.umview.dispatch;

import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umview.memory.TraceeMemory;
import org.umview.module.ModuleException;
import org.umview.seccomp.TrapSet;
import org.umview.syscall.SyscallRequest;
import org.umview.syscall.SyscallTable;
import org.umview.view.View;

/**
 * The view's loop devices come with the umdev module, loaded at the first open of
 * /dev/loop-control or /dev/loopN for reading and writing: what losetup and mount -o loop open
 * first (O_RDWR|O_CLOEXEC, util-linux's loopdev; LTP's plain O_RDWR). Until then a view that
 * serves no file system traps only those opens, not every path call.
 */
final class LoopDevicesOnDemand {
    private static final Logger LOG = LoggerFactory.getLogger(LoopDevicesOnDemand.class);
    private static final String MODULE = "umdev";
    private static final int O_ACCMODE = 3;
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 02000000;
    private static final Pattern DEVICE = Pattern.compile("/dev/loop(-control|[0-9]+)");

    private final View view;
    private final TraceeMemory memory;
    private final ControlChannel.ViewControl control;
    private final int open;
    private final int openat;

    LoopDevicesOnDemand(View view, TraceeMemory memory, ControlChannel.ViewControl control, SyscallTable table) {
        this.view = view;
        this.memory = memory;
        this.control = control;
        this.open = table.number("open");
        this.openat = table.number("openat");
    }

    /** The opens trapped for this while no path call is. */
    TrapSet traps() {
        if (view.claimed().fileSystems() || view.loaded(MODULE)) {
            return new TrapSet();
        }
        return new TrapSet().when(open, new int[] {1}, O_RDWR | O_CLOEXEC).when(open, new int[] {1}, O_RDWR)
                .when(openat, new int[] {2}, O_RDWR | O_CLOEXEC).when(openat, new int[] {2}, O_RDWR);
    }

    /** Asked first about open and openat: loads the devices when one is named; the open is then decided as any. */
    Verdict decide(SyscallRequest request) {
        boolean at = request.number() == openat;
        if ((request.arg(at ? 2 : 1) & O_ACCMODE) != O_RDWR || view.loaded(MODULE)) {
            return null;
        }
        String path = memory.readString(request.tid(), request.arg(at ? 1 : 0), PathCalls.PATH_MAX);
        if (path == null || !DEVICE.matcher(path).matches()) {
            return null;
        }
        try {
            view.load(MODULE);
            LOG.info("the view's loop devices are there from now on ({} opened)", path);
            control.trapsChanged();
        } catch (ModuleException e) {
            LOG.warn("no loop devices in the view: {}", e.getMessage());
        }
        return null;
    }
}
