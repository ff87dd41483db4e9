package org.umview.umdev;

import org.umview.libc.Errno;
import org.umview.module.FileSystem;
import org.umview.module.Module;
import org.umview.module.ModuleException;
import org.umview.module.MountRequest;

/**
 * umdev: virtual devices, mounted on a file. {@code mount -t umdevnull none FILE} swallows
 * writes and reads as empty; {@code mount -t umdevramdisk -o size=16M none FILE} is a RAM
 * block device (mkfs and mount -t umfuseext2 work on it). Options: mode=, uid=, gid=,
 * major=, minor=, chr or blk.
 */
public final class UmdevModule implements Module {
    @Override
    public String name() {
        return "umdev";
    }

    @Override
    public String description() {
        return "virtual devices: umdevnull, umdevramdisk (size=N[kMG]); mode= uid= gid= major= minor= chr|blk";
    }

    @Override
    public FileSystem mount(MountRequest request) throws ModuleException {
        DeviceOptions options = DeviceOptions.parse(request);
        return switch (request.type()) {
            case "umdevnull" -> new Device(options.attributes(false, 1, 3, 0666, 0), new NullStorage());
            case "umdevramdisk" -> {
                long size = options.size();
                yield new Device(options.attributes(true, 1, 0, 0660, size), new RamStorage(size));
            }
            default -> throw new ModuleException(Errno.ENODEV, "umdev serves umdevnull and umdevramdisk (umdevmbr and umdevtap are"
                    + " not done yet), not " + request.type());
        };
    }
}
