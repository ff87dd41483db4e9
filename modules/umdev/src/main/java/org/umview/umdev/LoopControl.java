package org.umview.umdev;

import java.nio.ByteBuffer;
import java.util.List;
import org.umview.libc.Errno;
import org.umview.module.CallerDescriptors;
import org.umview.module.ModuleException;

/**
 * /dev/loop-control of the view: hands out its loop devices (LOOP_CTL_GET_FREE, what losetup
 * -f and mount -o loop ask first). The view has a fixed number of them, made with the module.
 */
final class LoopControl implements Storage {
    static final int MAJOR = 10;
    static final int MINOR = 237;

    private static final long LOOP_CTL_ADD = 0x4C80;
    private static final long LOOP_CTL_REMOVE = 0x4C81;
    private static final long LOOP_CTL_GET_FREE = 0x4C82;

    private final List<LoopDevice> devices;

    LoopControl(List<LoopDevice> devices) {
        this.devices = devices;
    }

    @Override
    public long size() {
        return 0;
    }

    @Override
    public int read(ByteBuffer into, long offset) {
        return 0;
    }

    @Override
    public int write(ByteBuffer from, long offset) {
        return 0;
    }

    @Override
    public int ioctlArgumentSize(long request) {
        return request == LOOP_CTL_ADD || request == LOOP_CTL_REMOVE || request == LOOP_CTL_GET_FREE ? 0 : -1;
    }

    @Override
    public long ioctl(long request, long value, ByteBuffer argument, CallerDescriptors caller) throws ModuleException {
        if (request == LOOP_CTL_GET_FREE) {
            for (LoopDevice device : devices) {
                if (!device.bound()) {
                    return device.number();
                }
            }
            throw new ModuleException(Errno.ENOSPC, "all " + devices.size() + " loop devices of the view are in use");
        }
        int number = (int) value;
        if (number < 0 || number >= devices.size()) {
            throw new ModuleException(request == LOOP_CTL_ADD ? Errno.ENOSPC : Errno.ENODEV,
                    "the view has loop devices 0 to " + (devices.size() - 1));
        }
        if (request == LOOP_CTL_ADD) {
            throw new ModuleException(Errno.EEXIST);
        }
        // REMOVE: the view's devices stay, as the kernel's first ones come back on demand; not while in use.
        if (devices.get(number).bound()) {
            throw new ModuleException(Errno.EBUSY);
        }
        return 0;
    }
}
